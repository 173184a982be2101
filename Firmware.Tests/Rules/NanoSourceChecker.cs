using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Firmware.Tests.Rules;

/// <summary>One construct the nanoFramework 1.x runtime cannot run, or runs differently from .NET.</summary>
public sealed record Violation(string Rule, string File, int Line, string Construct, string Why)
{
    public override string ToString() => File + ":" + Line + ": [" + Rule + "] `" + Construct + "` — " + Why;
}

/// <summary>
/// C# that compiles for .NET (often against the nanoFramework mscorlib too) but that the nanoFramework 1.x runtime
/// cannot run (/work/shared/NANOFRAMEWORK.md, "what the runtime lacks"). It reads Roslyn syntax trees with a semantic
/// model over the host's own assemblies, which is enough for what syntax alone cannot tell (an inferred generic
/// call, `var` of a generic type, an enum turned into text); device-only APIs stay unresolved by design.
/// Lambdas, local functions, interpolation, lock, switch expressions, exception filters and jagged arrays all
/// lower to IL the device runs, so they pass.
/// </summary>
public static class NanoSourceChecker
{
    public const string Generics = "generics", NullableValueType = "nullable-value-type", Async = "async-await",
        Record = "record", Tuple = "tuple", Linq = "linq", Yield = "yield", IndexRange = "index-range",
        MultiDimensionalArray = "multidimensional-array", DefaultInterfaceMember = "default-interface-member",
        Volatile = "volatile", StringJoin = "string-join", EnumName = "enum-name", NumericFormat = "numeric-format",
        LanguageVersion = "language-version";

    // Standard formats D, F, G, N, X with a precision; no custom ones (docs: simplifications-and-trade-offs).
    private static readonly Regex SupportedNumericFormat = new(@"^([DdFfGgNnXx][0-9]{0,2})?$");

    private static readonly Lazy<MetadataReference[]> HostReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray());

    /// <summary>The C# version the nanoFramework project system compiles: LangVersion in nfproj.props, else its default 9.</summary>
    public static LanguageVersion DeviceLanguageVersion(string repoRoot)
    {
        string nfprojProps = Path.Combine(repoRoot, "nfproj.props");
        string text = File.Exists(nfprojProps) ? XDocument.Load(nfprojProps).Descendants().LastOrDefault(e => e.Name.LocalName == "LangVersion")?.Value : null;
        return text != null && LanguageVersionFacts.TryParse(text.Trim(), out var parsed) ? parsed : Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9;
    }

    public static List<Violation> CheckFiles(IEnumerable<string> paths, LanguageVersion languageVersion, Func<string, string> displayName) =>
        Check(paths.Select(p => (displayName(p), File.ReadAllText(p))), languageVersion);

    public static List<Violation> Check(IEnumerable<(string Name, string Text)> sources, LanguageVersion languageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9)
    {
        var options = new CSharpParseOptions(languageVersion);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.Name)).ToList();
        var compilation = CSharpCompilation.Create("NanoCheck", trees, HostReferences.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var found = new List<Violation>();
        foreach (var tree in trees)
            found.AddRange(new TreeCheck(tree, compilation.GetSemanticModel(tree)).Run());

        // Features newer than the device's C# ("Please use language version X or greater"); device-only APIs are
        // unresolved here by design, so no other diagnostic counts.
        found.AddRange(compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource
                && d.GetMessage(CultureInfo.InvariantCulture).Contains("language version", StringComparison.OrdinalIgnoreCase))
            .Select(d => Make(LanguageVersion, d.Location, d.Location.SourceTree.GetText().ToString(d.Location.SourceSpan),
                d.Id + ": " + d.GetMessage(CultureInfo.InvariantCulture) + " (the device builds C# " + languageVersion.ToDisplayString() + ")")));
        return found.Distinct().OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line).ToList();
    }

    private static Violation Make(string rule, Location at, string construct, string why)
    {
        var span = at.GetLineSpan();
        string oneLine = Regex.Replace(construct, @"\s+", " ").Trim();
        return new Violation(rule, span.Path, span.StartLinePosition.Line + 1, oneLine.Length <= 80 ? oneLine : oneLine[..77] + "...", why);
    }

    private sealed class TreeCheck(SyntaxTree tree, SemanticModel model)
    {
        private const string NoGenerics = "nanoFramework 1.x has no generics";
        private const string EnumWhy = "enum turned into text: the device keeps no enum names and prints the number; switch on the value to a string";
        private readonly List<Violation> _found = new();

        public List<Violation> Run()
        {
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.AsyncKeyword) || token.IsKind(SyntaxKind.AwaitKeyword))
                    Report(Async, token.Parent, "async/await: nanoFramework has no Task");
                else if (token.IsKind(SyntaxKind.VolatileKeyword))
                    Report(Volatile, token.Parent, "nanoFramework's mscorlib has no IsVolatile: use Interlocked (Core/Loop/Flag.cs)");
            }
            foreach (var node in tree.GetRoot().DescendantNodes())
                Visit(node);
            return _found;
        }

        private void Report(string rule, SyntaxNode node, string why)
        {
            string text = node is MemberDeclarationSyntax or TypeParameterListSyntax ? node.ToString().Split('{', '\n', ';')[0] : node.ToString();
            _found.Add(Make(rule, node.GetLocation(), text, why));
        }

        private void Visit(SyntaxNode node)
        {
            switch (node)
            {
                case TypeParameterListSyntax: Report(Generics, node.Parent, "generic declaration; " + NoGenerics); break;
                case GenericNameSyntax: Report(Generics, node, "generic type or method; " + NoGenerics); break;
                case VariableDeclarationSyntax { Type.IsVar: true } v when IsGeneric(model.GetTypeInfo(v.Type).Type):
                    Report(Generics, node, "`var` of a generic type; " + NoGenerics); break;
                case ForEachStatementSyntax { Type.IsVar: true } f when IsGeneric(model.GetTypeInfo(f.Type).Type):
                    Report(Generics, f.Type, "loop variable of a generic type; " + NoGenerics); break;
                case NullableTypeSyntax n when model.GetTypeInfo(n.ElementType).Type is not { IsReferenceType: true }:
                    Report(NullableValueType, node, "T? on a value type: nanoFramework 1.x has no Nullable<T>"); break;
                case RecordDeclarationSyntax: Report(Record, node, "a record needs IEquatable<T>: write a class"); break;
                case TupleTypeSyntax or TupleExpressionSyntax or ParenthesizedVariableDesignationSyntax:
                    Report(Tuple, node, "nanoFramework has no System.ValueTuple"); break;
                case UsingDirectiveSyntax u when u.Name?.ToString() is "System.Linq" or "System.Threading.Tasks":
                    Report(u.Name.ToString() == "System.Linq" ? Linq : Async, node, "nanoFramework has no " + u.Name); break;
                case QueryExpressionSyntax: Report(Linq, node, "LINQ query: nanoFramework has no System.Linq"); break;
                case YieldStatementSyntax: Report(Yield, node, "an iterator implements IEnumerable<T>, which nanoFramework lacks"); break;
                case RangeExpressionSyntax or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression }:
                    Report(IndexRange, node, "nanoFramework has no System.Index/System.Range"); break;
                case ArrayRankSpecifierSyntax { Rank: > 1 }: Report(MultiDimensionalArray, node.Parent, "nanoFramework has only jagged arrays ([][])"); break;
                case InterfaceDeclarationSyntax i:
                    foreach (var member in i.Members.Where(HasBodyOrIsField))
                        Report(DefaultInterfaceMember, member, "the nanoFramework runtime has no default interface members");
                    break;
                case InvocationExpressionSyntax call when model.GetSymbolInfo(call).Symbol is IMethodSymbol method: Invocation(call, method); break;
                case InterpolationSyntax hole:
                    if (IsEnum(hole.Expression)) Report(EnumName, node, EnumWhy);
                    if (hole.FormatClause != null && IsNumeric(hole.Expression)) Format(node, hole.FormatClause.FormatStringToken.ValueText);
                    break;
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add when model.GetTypeInfo(add).Type?.SpecialType == SpecialType.System_String:
                    foreach (var operand in new[] { add.Left, add.Right }.Where(IsEnum)) Report(EnumName, operand, EnumWhy);
                    break;
            }
        }

        private void Invocation(InvocationExpressionSyntax call, IMethodSymbol method)
        {
            bool written = call.Expression is GenericNameSyntax || call.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax };
            if ((method.IsGenericMethod && !written) || (method.ContainingType is { IsGenericType: true } && method.MethodKind != MethodKind.DelegateInvoke))
                Report(Generics, call, "call of " + method.ContainingType?.Name + "." + method.Name + " (generic); " + NoGenerics);
            string ns = method.ContainingNamespace?.ToDisplayString() ?? "";
            if (ns.StartsWith("System.Linq", StringComparison.Ordinal)) Report(Linq, call, "LINQ: nanoFramework has no System.Linq");
            if (ns.StartsWith("System.Threading.Tasks", StringComparison.Ordinal)) Report(Async, call, "nanoFramework has no Task");

            var args = call.ArgumentList.Arguments;
            bool onString = method.ContainingType?.SpecialType == SpecialType.System_String;
            if (onString && method.Name == "Join") Report(StringJoin, call, "nanoFramework's string has no Join: concatenate in a loop");
            var receiver = (call.Expression as MemberAccessExpressionSyntax)?.Expression;
            if (method.Name == "ToString" && receiver != null && IsEnum(receiver)) Report(EnumName, call, EnumWhy);
            if (method.Name == "ToString" && receiver != null && IsNumeric(receiver) && args.Count >= 1 && Constant(args[0].Expression) is string format)
                Format(call, format);
            if (onString && method.Name is "Format" or "Concat")
            {
                foreach (var arg in args.Where(a => IsEnum(a.Expression))) Report(EnumName, arg, EnumWhy);
                if (method.Name == "Format" && args.Count >= 1 && Constant(args[0].Expression) is string text)
                    foreach (Match m in Regex.Matches(text.Replace("{{", "").Replace("}}", ""), @"\{(\d+)(,-?\d+)?:([^}]*)\}"))
                        if (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1 is int i && i < args.Count && IsNumeric(args[i].Expression))
                            Format(call, m.Groups[3].Value);
            }
        }

        private void Format(SyntaxNode node, string format)
        {
            if (!SupportedNumericFormat.IsMatch(format))
                Report(NumericFormat, node, "numeric format \"" + format + "\": nanoFramework has only D, F, G, N and X");
        }

        private object Constant(ExpressionSyntax e) => model.GetConstantValue(e) is { HasValue: true } c ? c.Value : null;

        private bool IsEnum(ExpressionSyntax e) => model.GetTypeInfo(e).Type?.TypeKind == TypeKind.Enum;

        private bool IsNumeric(ExpressionSyntax e) => model.GetTypeInfo(e).Type?.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double;

        private static bool IsGeneric(ITypeSymbol type) => type is INamedTypeSymbol { IsGenericType: true };

        private static bool HasBodyOrIsField(MemberDeclarationSyntax m) => m switch
        {
            BaseMethodDeclarationSyntax method => method.Body != null || method.ExpressionBody != null,
            PropertyDeclarationSyntax p => p.ExpressionBody != null || p.AccessorList?.Accessors.Any(a => a.Body != null || a.ExpressionBody != null) == true,
            FieldDeclarationSyntax => true,
            _ => false,
        };
    }
}

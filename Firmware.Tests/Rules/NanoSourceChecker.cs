using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Firmware.Tests.Rules
{
    /// <summary>One construct the nanoFramework 1.x runtime cannot run (or runs differently from .NET).</summary>
    public sealed class Violation
    {
        public Violation(string rule, string file, int line, string construct, string why)
        {
            Rule = rule;
            File = file;
            Line = line;
            Construct = construct;
            Why = why;
        }

        public string Rule { get; }
        public string File { get; }
        public int Line { get; }
        public string Construct { get; }
        public string Why { get; }

        public override string ToString() => $"{File}:{Line}: [{Rule}] `{Construct}` — {Why}";
    }

    /// <summary>
    /// Checks C# that compiles (for .NET, and often against the nanoFramework mscorlib too) but that the
    /// nanoFramework 1.x runtime and its metadata processor cannot run. Works on Roslyn syntax trees, with a
    /// semantic model (host framework references; device-only APIs stay unresolved) for what syntax alone
    /// cannot tell: inferred generic calls, `var` of a generic type, T? on a value type, enum names.
    ///
    /// Deliberately allowed, because they lower to IL nanoFramework runs: lambdas and anonymous delegates,
    /// local functions (plain methods plus a display class), string interpolation (string.Format/Concat
    /// against the device mscorlib, verified by the nano-compat build), lock, using, foreach over arrays and
    /// ArrayList, switch expressions and patterns, exception filters (the PE format has a Filter handler mode),
    /// jagged arrays, extension methods, init accessors.
    /// </summary>
    public static class NanoSourceChecker
    {
        public const string Generics = "generics";
        public const string NullableValueType = "nullable-value-type";
        public const string Async = "async-await";
        public const string Record = "record";
        public const string Tuple = "tuple";
        public const string DefaultInterfaceMember = "default-interface-member";
        public const string Linq = "linq";
        public const string Yield = "yield";
        public const string MultiDimensionalArray = "multidimensional-array";
        public const string EnumName = "enum-name";
        public const string NumericFormat = "numeric-format";
        public const string LanguageVersion = "language-version";

        /// <summary>Default C# version of the nanoFramework project system (VS extension) for .nfproj.</summary>
        public const Microsoft.CodeAnalysis.CSharp.LanguageVersion DeviceDefaultLanguageVersion =
            Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9;

        private static readonly Lazy<IReadOnlyList<MetadataReference>> hostReferences =
            new Lazy<IReadOnlyList<MetadataReference>>(LoadHostReferences);

        /// <summary>The running .NET's own assemblies: enough to bind the mscorlib-level C# of the firmware.</summary>
        internal static IReadOnlyList<MetadataReference> HostReferences => hostReferences.Value;

        // nanoFramework supports the standard numeric formats D, F, G, N and X (with a precision) and no
        // custom numeric format (docs: architecture/simplifications-and-trade-offs).
        private static readonly Regex SupportedNumericFormat = new Regex(@"^([DdFfGgNnXx][0-9]{0,2})?$");

        public static IReadOnlyList<Violation> CheckFiles(IEnumerable<string> fullPaths,
            Microsoft.CodeAnalysis.CSharp.LanguageVersion languageVersion, Func<string, string> displayName)
        {
            var sources = fullPaths.Select(p => (displayName(p), File.ReadAllText(p)));
            return Check(sources, languageVersion);
        }

        /// <summary>Checks one snippet (a whole compilation unit) — the same path the repository scan takes.</summary>
        public static IReadOnlyList<Violation> CheckSnippet(string code,
            Microsoft.CodeAnalysis.CSharp.LanguageVersion languageVersion = DeviceDefaultLanguageVersion)
        {
            return Check(new[] { ("snippet.cs", code) }, languageVersion);
        }

        public static IReadOnlyList<Violation> Check(IEnumerable<(string Name, string Text)> sources,
            Microsoft.CodeAnalysis.CSharp.LanguageVersion languageVersion)
        {
            var parseOptions = new CSharpParseOptions(languageVersion, DocumentationMode.Parse);
            var trees = sources
                .Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Name))
                .ToList();
            var compilation = CSharpCompilation.Create(
                "FirmwareRulesCheck",
                trees,
                hostReferences.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                    nullableContextOptions: NullableContextOptions.Disable,
                    allowUnsafe: true));

            var found = new List<Violation>();
            var seen = new HashSet<string>();
            foreach (var tree in trees)
            {
                var walker = new Walker(tree, compilation.GetSemanticModel(tree), v =>
                {
                    if (seen.Add(v.File + "|" + v.Line + "|" + v.Rule + "|" + v.Construct))
                    {
                        found.Add(v);
                    }
                });
                walker.Visit(tree.GetRoot());
            }

            // Language features newer than the device's C# version: the parser and binder report them with
            // "Please use language version X or greater"; these are the only diagnostics that matter here
            // (device-only APIs are unresolved in this compilation by design).
            foreach (var d in compilation.GetDiagnostics())
            {
                if (d.Severity != DiagnosticSeverity.Error || !d.Location.IsInSource)
                {
                    continue;
                }
                string message = d.GetMessage(CultureInfo.InvariantCulture);
                if (message.IndexOf("language version", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    continue;
                }
                var span = d.Location.GetLineSpan();
                var v = new Violation(LanguageVersion, span.Path, span.StartLinePosition.Line + 1,
                    Short(d.Location.SourceTree.GetText().ToString(d.Location.SourceSpan)),
                    d.Id + ": " + message + " (the nanoFramework project system compiles C# "
                    + languageVersion.ToDisplayString() + ")");
                if (seen.Add(v.File + "|" + v.Line + "|" + v.Rule + "|" + v.Construct))
                {
                    found.Add(v);
                }
            }

            return found
                .OrderBy(v => v.File, StringComparer.Ordinal)
                .ThenBy(v => v.Line)
                .ThenBy(v => v.Rule, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>The C# version the device build uses: LangVersion from Firmware.nfproj or nfproj.props
        /// when set there, else the project system's default.</summary>
        public static Microsoft.CodeAnalysis.CSharp.LanguageVersion DeviceLanguageVersion(string repoRoot)
        {
            foreach (var file in new[] { Path.Combine(repoRoot, "Firmware", "Firmware.nfproj"), Path.Combine(repoRoot, "nfproj.props") })
            {
                if (!File.Exists(file))
                {
                    continue;
                }
                try
                {
                    var doc = System.Xml.Linq.XDocument.Load(file);
                    var element = doc.Descendants().LastOrDefault(e => e.Name.LocalName == "LangVersion");
                    if (element != null
                        && LanguageVersionFacts.TryParse(element.Value.Trim(), out var parsed))
                    {
                        return parsed;
                    }
                }
                catch (System.Xml.XmlException)
                {
                    // ProjectConsistencyTests reports malformed project files.
                }
            }
            return DeviceDefaultLanguageVersion;
        }

        private static IReadOnlyList<MetadataReference> LoadHostReferences()
        {
            string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "";
            return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Where(p =>
                {
                    string name = Path.GetFileName(p);
                    return name.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("mscorlib.dll", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("netstandard.dll", StringComparison.OrdinalIgnoreCase);
                })
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
        }

        internal static string Short(string text)
        {
            string oneLine = Regex.Replace(text ?? "", @"\s+", " ").Trim();
            return oneLine.Length <= 80 ? oneLine : oneLine.Substring(0, 77) + "...";
        }

        private sealed class Walker : CSharpSyntaxWalker
        {
            private readonly SyntaxTree tree;
            private readonly SemanticModel model;
            private readonly Action<Violation> report;

            public Walker(SyntaxTree tree, SemanticModel model, Action<Violation> report)
            {
                this.tree = tree;
                this.model = model;
                this.report = report;
            }

            private void Report(string rule, SyntaxNode node, string why)
            {
                Report(rule, node.GetLocation(), node.ToString(), why);
            }

            private void Report(string rule, Location location, string construct, string why)
            {
                var span = location.GetLineSpan();
                report(new Violation(rule, tree.FilePath, span.StartLinePosition.Line + 1, Short(construct), why));
            }

            // ---- generics ----------------------------------------------------------------------------

            public override void VisitTypeParameterList(TypeParameterListSyntax node)
            {
                Report(Generics, node.Parent.GetLocation(), HeadOf(node.Parent),
                    "generic type or method declaration; nanoFramework 1.x has no generics");
                base.VisitTypeParameterList(node);
            }

            public override void VisitGenericName(GenericNameSyntax node)
            {
                Report(Generics, node, "use of a generic type or method; nanoFramework 1.x has no generics");
                base.VisitGenericName(node);
            }

            public override void VisitInvocationExpression(InvocationExpressionSyntax node)
            {
                var method = model.GetSymbolInfo(node).Symbol as IMethodSymbol;
                if (method != null)
                {
                    if (method.IsGenericMethod && !(node.Expression is GenericNameSyntax)
                        && !(node.Expression is MemberAccessExpressionSyntax m && m.Name is GenericNameSyntax))
                    {
                        Report(Generics, node, "call of generic method " + method.Name
                            + " (type arguments inferred); nanoFramework 1.x has no generics");
                    }
                    else if (method.ContainingType != null && method.ContainingType.IsGenericType
                        && method.MethodKind != MethodKind.DelegateInvoke)
                    {
                        Report(Generics, node, "call on generic type "
                            + method.ContainingType.ToDisplayString() + "; nanoFramework 1.x has no generics");
                    }

                    if (method.ContainingNamespace != null
                        && method.ContainingNamespace.ToDisplayString().StartsWith("System.Linq", StringComparison.Ordinal))
                    {
                        Report(Linq, node, "LINQ (" + method.ContainingType.Name + "." + method.Name
                            + "); nanoFramework has no System.Linq");
                    }

                    CheckEnumName(node, method);
                    CheckNumericFormat(node, method);
                }
                base.VisitInvocationExpression(node);
            }

            public override void VisitVariableDeclaration(VariableDeclarationSyntax node)
            {
                if (node.Type.IsVar)
                {
                    var type = model.GetTypeInfo(node.Type).Type as INamedTypeSymbol;
                    if (type != null && type.IsGenericType)
                    {
                        Report(Generics, node, "`var` of generic type " + type.ToDisplayString()
                            + "; nanoFramework 1.x has no generics");
                    }
                }
                base.VisitVariableDeclaration(node);
            }

            public override void VisitForEachStatement(ForEachStatementSyntax node)
            {
                if (node.Type.IsVar)
                {
                    var type = model.GetTypeInfo(node.Type).Type as INamedTypeSymbol;
                    if (type != null && type.IsGenericType)
                    {
                        Report(Generics, node.Type.GetLocation(), "foreach (var " + node.Identifier.Text + " ...)",
                            "loop variable of generic type " + type.ToDisplayString() + "; nanoFramework 1.x has no generics");
                    }
                }
                if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                {
                    Report(Async, node.AwaitKeyword.GetLocation(), "await foreach", "async/await is not supported by nanoFramework");
                }
                base.VisitForEachStatement(node);
            }

            // ---- T? on value types ---------------------------------------------------------------------

            public override void VisitNullableType(NullableTypeSyntax node)
            {
                var type = model.GetTypeInfo(node).Type;
                var element = model.GetTypeInfo(node.ElementType).Type;
                bool nullableValue = type != null
                    && type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
                bool unknown = element == null || element.TypeKind == TypeKind.Error;
                if (nullableValue || (unknown && !(element is { IsReferenceType: true })))
                {
                    Report(NullableValueType, node, "Nullable<T> (T? on a value type); nanoFramework 1.x has no Nullable<T>");
                }
                base.VisitNullableType(node);
            }

            // ---- async / await ---------------------------------------------------------------------------

            public override void VisitMethodDeclaration(MethodDeclarationSyntax node)
            {
                CheckAsyncModifier(node.Modifiers, node);
                base.VisitMethodDeclaration(node);
            }

            public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
            {
                CheckAsyncModifier(node.Modifiers, node);
                base.VisitLocalFunctionStatement(node);
            }

            public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
            {
                CheckAsyncModifier(node.Modifiers, node);
                base.VisitParenthesizedLambdaExpression(node);
            }

            public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
            {
                CheckAsyncModifier(node.Modifiers, node);
                base.VisitSimpleLambdaExpression(node);
            }

            public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
            {
                CheckAsyncModifier(node.Modifiers, node);
                base.VisitAnonymousMethodExpression(node);
            }

            private void CheckAsyncModifier(SyntaxTokenList modifiers, SyntaxNode node)
            {
                foreach (var token in modifiers)
                {
                    if (token.IsKind(SyntaxKind.AsyncKeyword))
                    {
                        Report(Async, token.GetLocation(), HeadOf(node), "async method; async/await is not supported by nanoFramework");
                    }
                }
            }

            public override void VisitAwaitExpression(AwaitExpressionSyntax node)
            {
                Report(Async, node, "await; async/await is not supported by nanoFramework");
                base.VisitAwaitExpression(node);
            }

            public override void VisitUsingStatement(UsingStatementSyntax node)
            {
                if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                {
                    Report(Async, node.AwaitKeyword.GetLocation(), "await using", "async/await is not supported by nanoFramework");
                }
                base.VisitUsingStatement(node);
            }

            public override void VisitLocalDeclarationStatement(LocalDeclarationStatementSyntax node)
            {
                if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                {
                    Report(Async, node, "await using; async/await is not supported by nanoFramework");
                }
                base.VisitLocalDeclarationStatement(node);
            }

            // ---- records, tuples, default interface members ------------------------------------------

            public override void VisitRecordDeclaration(RecordDeclarationSyntax node)
            {
                Report(Record, node.GetLocation(), HeadOf(node),
                    "record; needs IEquatable<T> and compiler-generated members nanoFramework lacks — write a class");
                base.VisitRecordDeclaration(node);
            }

            public override void VisitTupleType(TupleTypeSyntax node)
            {
                Report(Tuple, node, "tuple type; nanoFramework has no System.ValueTuple");
                base.VisitTupleType(node);
            }

            public override void VisitTupleExpression(TupleExpressionSyntax node)
            {
                Report(Tuple, node, "tuple expression; nanoFramework has no System.ValueTuple");
                base.VisitTupleExpression(node);
            }

            public override void VisitParenthesizedVariableDesignation(ParenthesizedVariableDesignationSyntax node)
            {
                Report(Tuple, node, "deconstruction into a tuple; nanoFramework has no System.ValueTuple");
                base.VisitParenthesizedVariableDesignation(node);
            }

            public override void VisitInterfaceDeclaration(InterfaceDeclarationSyntax node)
            {
                foreach (var member in node.Members)
                {
                    string why = InterfaceMemberProblem(member);
                    if (why != null)
                    {
                        Report(DefaultInterfaceMember, member.GetLocation(), HeadOf(member),
                            why + " in interface " + node.Identifier.Text
                            + "; the nanoFramework runtime has no default interface members");
                    }
                }
                base.VisitInterfaceDeclaration(node);
            }

            private static string InterfaceMemberProblem(MemberDeclarationSyntax member)
            {
                bool isStatic = member.Modifiers.Any(SyntaxKind.StaticKeyword);
                switch (member)
                {
                    case BaseMethodDeclarationSyntax method when method.Body != null || method.ExpressionBody != null:
                        return "member with a body";
                    case BasePropertyDeclarationSyntax property when HasBody(property):
                        return "member with a body";
                    case FieldDeclarationSyntax _:
                        return "field";
                    case BaseTypeDeclarationSyntax _:
                    case DelegateDeclarationSyntax _:
                        return null;
                    default:
                        return isStatic ? "static member" : null;
                }
            }

            private static bool HasBody(BasePropertyDeclarationSyntax property)
            {
                if (property is PropertyDeclarationSyntax p && p.ExpressionBody != null)
                {
                    return true;
                }
                if (property is IndexerDeclarationSyntax i && i.ExpressionBody != null)
                {
                    return true;
                }
                return property.AccessorList != null
                    && property.AccessorList.Accessors.Any(a => a.Body != null || a.ExpressionBody != null);
            }

            // ---- LINQ, yield, multidimensional arrays ---------------------------------------------------

            public override void VisitUsingDirective(UsingDirectiveSyntax node)
            {
                string name = node.Name?.ToString() ?? node.NamespaceOrType?.ToString() ?? "";
                if (name == "System.Linq" || name.StartsWith("System.Linq.", StringComparison.Ordinal))
                {
                    Report(Linq, node, "using System.Linq; nanoFramework has no LINQ");
                }
                base.VisitUsingDirective(node);
            }

            public override void VisitQueryExpression(QueryExpressionSyntax node)
            {
                Report(Linq, node, "LINQ query expression; nanoFramework has no LINQ");
                base.VisitQueryExpression(node);
            }

            public override void VisitYieldStatement(YieldStatementSyntax node)
            {
                Report(Yield, node, "iterator (yield); the compiler's state machine implements IEnumerable<T>/IEnumerator<T>, which nanoFramework lacks");
                base.VisitYieldStatement(node);
            }

            public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
            {
                if (node.Rank > 1)
                {
                    Report(MultiDimensionalArray, node.Parent ?? node,
                        "multidimensional array; nanoFramework supports only jagged arrays ([][])");
                }
                base.VisitArrayRankSpecifier(node);
            }

            // ---- enum names and numeric formats (run, but differently from .NET) -----------------------

            public override void VisitBinaryExpression(BinaryExpressionSyntax node)
            {
                if (node.IsKind(SyntaxKind.AddExpression)
                    && model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_String)
                {
                    foreach (var operand in new[] { node.Left, node.Right })
                    {
                        if (IsEnum(operand))
                        {
                            Report(EnumName, operand, EnumWhy);
                        }
                    }
                }
                base.VisitBinaryExpression(node);
            }

            public override void VisitInterpolation(InterpolationSyntax node)
            {
                if (IsEnum(node.Expression))
                {
                    Report(EnumName, node, EnumWhy);
                }
                if (node.FormatClause != null && IsNumeric(node.Expression))
                {
                    CheckFormat(node, node.FormatClause.FormatStringToken.ValueText);
                }
                base.VisitInterpolation(node);
            }

            private const string EnumWhy =
                "enum turned into text; nanoFramework keeps no enum names, so the device prints the number "
                + "where .NET prints the name — switch on the value to a string instead";

            private bool IsEnum(ExpressionSyntax expression)
            {
                var type = model.GetTypeInfo(expression).Type;
                return type != null && type.TypeKind == TypeKind.Enum;
            }

            private bool IsNumeric(ExpressionSyntax expression)
            {
                var type = model.GetTypeInfo(expression).Type;
                return type != null && IsNumeric(type);
            }

            private static bool IsNumeric(ITypeSymbol type)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_Byte:
                    case SpecialType.System_SByte:
                    case SpecialType.System_Int16:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_Int32:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Single:
                    case SpecialType.System_Double:
                        return true;
                    default:
                        return false;
                }
            }

            private void CheckEnumName(InvocationExpressionSyntax node, IMethodSymbol method)
            {
                if (method.Name == "ToString" && node.Expression is MemberAccessExpressionSyntax access
                    && IsEnum(access.Expression))
                {
                    Report(EnumName, node, EnumWhy);
                    return;
                }
                if (method.ContainingType?.SpecialType == SpecialType.System_String
                    && (method.Name == "Format" || method.Name == "Concat"))
                {
                    foreach (var argument in node.ArgumentList.Arguments)
                    {
                        if (IsEnum(argument.Expression))
                        {
                            Report(EnumName, argument, EnumWhy);
                        }
                    }
                }
            }

            private void CheckNumericFormat(InvocationExpressionSyntax node, IMethodSymbol method)
            {
                var args = node.ArgumentList.Arguments;
                if (method.Name == "ToString" && args.Count >= 1
                    && node.Expression is MemberAccessExpressionSyntax access && IsNumeric(access.Expression))
                {
                    var format = model.GetConstantValue(args[0].Expression);
                    if (format.HasValue && format.Value is string text)
                    {
                        CheckFormat(node, text);
                    }
                    return;
                }

                if (method.ContainingType?.SpecialType == SpecialType.System_String && method.Name == "Format"
                    && args.Count >= 1)
                {
                    var format = model.GetConstantValue(args[0].Expression);
                    if (!format.HasValue || !(format.Value is string text))
                    {
                        return;
                    }
                    foreach (Match hole in Regex.Matches(text.Replace("{{", "").Replace("}}", ""),
                        @"\{(\d+)(,-?\d+)?(:([^}]*))?\}"))
                    {
                        if (!hole.Groups[3].Success)
                        {
                            continue;
                        }
                        int index = int.Parse(hole.Groups[1].Value, CultureInfo.InvariantCulture) + 1;
                        if (index < args.Count && IsNumeric(args[index].Expression))
                        {
                            CheckFormat(node, hole.Groups[4].Value);
                        }
                    }
                }
            }

            private void CheckFormat(SyntaxNode node, string format)
            {
                if (!SupportedNumericFormat.IsMatch(format))
                {
                    Report(NumericFormat, node, "numeric format \"" + format
                        + "\"; nanoFramework supports only the standard formats D, F, G, N and X (no custom formats)");
                }
            }

            private static string HeadOf(SyntaxNode node)
            {
                // The declaration up to its body: enough to recognise it in a report.
                string text = node.ToString();
                int cut = text.IndexOfAny(new[] { '{', '\n', ';' });
                if (node is BaseMethodDeclarationSyntax || node is LocalFunctionStatementSyntax
                    || node is BaseTypeDeclarationSyntax || node is DelegateDeclarationSyntax)
                {
                    if (cut > 0)
                    {
                        text = text.Substring(0, cut);
                    }
                }
                return text;
            }
        }
    }
}

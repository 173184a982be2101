using System.Reflection;
using Firmware.Tests.Rules;
using IotyDevice.Core;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Firmware.Tests.Fakes;

/// <summary>Compiles a lesson file (a whole Lesson.cs, e.g. one of docs/lessons/) on its own, against the core, as
/// a learner's copy over Firmware/Lesson.cs would be compiled, and makes its IotyDevice.Lesson.</summary>
public static class LessonFiles
{
    private static readonly Dictionary<string, Type> Compiled = new();

    public static string Path(string relative) => System.IO.Path.Combine(RepoPaths.Root, relative);

    public static ILesson Create(string relativePath)
    {
        Type type;
        lock (Compiled)
        {
            if (!Compiled.TryGetValue(relativePath, out type))
            {
                type = Compile(relativePath);
                Compiled[relativePath] = type;
            }
        }

        return (ILesson)Activator.CreateInstance(type);
    }

    private static Type Compile(string relativePath)
    {
        string path = Path(relativePath);
        var tree = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(path), System.Text.Encoding.UTF8), path: path);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(System.IO.Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(ILesson).Assembly.Location));
        var compilation = CSharpCompilation.Create("Lesson_" + System.IO.Path.GetFileNameWithoutExtension(path), new[] { tree }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Debug));
        using var dll = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(dll, pdb);
        if (!result.Success)
        {
            throw new InvalidOperationException(relativePath + " does not compile:\n"
                + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        // With its symbols, so a stack trace names the file and line as the host does for Firmware/Lesson.cs.
        Assembly assembly = Assembly.Load(dll.ToArray(), pdb.ToArray());
        return assembly.GetType("IotyDevice.Lesson", throwOnError: true);
    }
}

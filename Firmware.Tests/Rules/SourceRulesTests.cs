using System;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Firmware.Tests.Rules
{
    /// <summary>
    /// The firmware sources (Firmware/**/*.cs: the portable core and the device adapters) use nothing the
    /// nanoFramework 1.x runtime cannot run. The nano-compat build (Host/IotyDevice.Core.Nano) already proves
    /// the core only calls APIs the device's mscorlib has; this catches what compiles there but fails (or
    /// behaves differently) on the device, and covers Firmware/Device too, which no build here compiles.
    /// </summary>
    public class SourceRulesTests
    {
        [Fact]
        public void FirmwareSourcesUseOnlyWhatNanoFrameworkRuns()
        {
            var files = RepoPaths.FirmwareSources();
            Assert.True(files.Count > 0, "no .cs found under " + RepoPaths.Firmware);

            var violations = NanoSourceChecker.CheckFiles(files,
                NanoSourceChecker.DeviceLanguageVersion(RepoPaths.Root), RepoPaths.Relative);

            Assert.True(violations.Count == 0,
                violations.Count + " construct(s) in " + files.Count + " firmware file(s) that nanoFramework 1.x cannot run:"
                + Environment.NewLine + string.Join(Environment.NewLine, violations));
        }

        // Each rule must be able to fail: every construct below is fed to the same checker the scan uses.
        [Theory]
        [InlineData(NanoSourceChecker.Generics, "class Box<T> { public T Value; }")]
        [InlineData(NanoSourceChecker.Generics, "class A { static T Same<T>(T x) { return x; } }")]
        [InlineData(NanoSourceChecker.Generics, "interface IHolder<T> { }")]
        [InlineData(NanoSourceChecker.Generics, "delegate void Handler<T>(T x);")]
        [InlineData(NanoSourceChecker.Generics, "using System.Collections.Generic; class A { List<int> items = new List<int>(); }")]
        [InlineData(NanoSourceChecker.Generics, "using System.Collections.Generic; class A { Dictionary<string, int> map; }")]
        [InlineData(NanoSourceChecker.Generics, "using System; class A { Func<int> f; }")]
        [InlineData(NanoSourceChecker.Generics, "using System; class A { Action<string> a; }")]
        [InlineData(NanoSourceChecker.Generics, "using System.Collections.Generic; class A { IEnumerable<int> e; }")]
        [InlineData(NanoSourceChecker.Generics, "using System; class A { event EventHandler<EventArgs> Changed; }")]
        [InlineData(NanoSourceChecker.Generics, "class A { object F() { return System.Array.Empty<int>(); } }")]
        [InlineData(NanoSourceChecker.Generics, "class A { int[] F(int[] a) { System.Array.Resize(ref a, 4); return a; } }")]
        [InlineData(NanoSourceChecker.Generics, "class A { static object Make() { return null; } void F() { var t = System.Tuple.Create(1, 2); } }")]
        [InlineData(NanoSourceChecker.Generics, "class A { void F() { int n = 0; void L<T>(T x) { } L(n); } }")]
        [InlineData(NanoSourceChecker.NullableValueType, "class A { int? count; }")]
        [InlineData(NanoSourceChecker.NullableValueType, "class A { bool F(System.DateTime? when) { return when == null; } }")]
        [InlineData(NanoSourceChecker.NullableValueType, "enum E { X } class A { E? e; }")]
        [InlineData(NanoSourceChecker.Async, "using System.Threading.Tasks; class A { async Task F() { await Task.Delay(1); } }")]
        [InlineData(NanoSourceChecker.Async, "class A { async void F() { } }")]
        [InlineData(NanoSourceChecker.Async, "using System; using System.Threading.Tasks; class A { Func<Task> f = async () => { await Task.Yield(); }; }")]
        [InlineData(NanoSourceChecker.Record, "record Point(int X, int Y);")]
        [InlineData(NanoSourceChecker.Record, "public record Settings { public int Port { get; init; } }")]
        [InlineData(NanoSourceChecker.Tuple, "class A { (int, string) F() { return default; } }")]
        [InlineData(NanoSourceChecker.Tuple, "class A { object F() { return (1, 2); } }")]
        [InlineData(NanoSourceChecker.Tuple, "class A { void F() { int a = 1, b = 2; (a, b) = (b, a); } }")]
        [InlineData(NanoSourceChecker.Tuple, "class P { public void Deconstruct(out int x, out int y) { x = 1; y = 2; } } class A { void F(P p) { var (x, y) = p; } }")]
        [InlineData(NanoSourceChecker.DefaultInterfaceMember, "interface IClock { int Now(); int Twice() { return Now() * 2; } }")]
        [InlineData(NanoSourceChecker.DefaultInterfaceMember, "interface IClock { int Now { get; } int Later => Now + 1; }")]
        [InlineData(NanoSourceChecker.DefaultInterfaceMember, "interface IClock { static int Zero() { return 0; } }")]
        [InlineData(NanoSourceChecker.Linq, "using System.Linq; class A { }")]
        [InlineData(NanoSourceChecker.Linq, "class A { int F(int[] a) { return System.Linq.Enumerable.Count(a); } }")]
        [InlineData(NanoSourceChecker.Linq, "using System.Linq; class A { object F(int[] a) { return from x in a where x > 1 select x; } }")]
        [InlineData(NanoSourceChecker.Yield, "using System.Collections; class A { IEnumerable F() { yield return 1; } }")]
        [InlineData(NanoSourceChecker.Yield, "using System.Collections; class A { IEnumerator F() { yield break; } }")]
        [InlineData(NanoSourceChecker.MultiDimensionalArray, "class A { int[,] grid = new int[2, 3]; }")]
        [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return f.ToString(); } }")]
        [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return \"fault: \" + f; } }")]
        [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return $\"fault: {f}\"; } }")]
        [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return string.Format(\"fault: {0}\", f); } }")]
        [InlineData(NanoSourceChecker.NumericFormat, "class A { string F(double d) { return d.ToString(\"0.00\"); } }")]
        [InlineData(NanoSourceChecker.NumericFormat, "class A { string F(int n) { return $\"{n:#,##0}\"; } }")]
        [InlineData(NanoSourceChecker.NumericFormat, "class A { string F(double p) { return string.Format(\"{0:P1} done\", p); } }")]
        [InlineData(NanoSourceChecker.LanguageVersion, "namespace N; class A { }")]
        [InlineData(NanoSourceChecker.LanguageVersion, "class A { string s = \"\"\"raw\"\"\"; }")]
        [InlineData(NanoSourceChecker.LanguageVersion, "record struct R(int X);")]
        public void EachRuleFlagsItsConstruct(string rule, string code)
        {
            var violations = NanoSourceChecker.CheckSnippet(code);

            Assert.True(violations.Any(v => v.Rule == rule),
                "expected [" + rule + "] for: " + code + Environment.NewLine + "got: "
                + (violations.Count == 0 ? "nothing" : string.Join(Environment.NewLine, violations)));
        }

        [Fact]
        public void AViolationNamesFileLineAndConstruct()
        {
            const string code = "namespace N\n{\n    class A\n    {\n        int? count;\n    }\n}\n";

            var v = Assert.Single(NanoSourceChecker.CheckSnippet(code));

            Assert.Equal(NanoSourceChecker.NullableValueType, v.Rule);
            Assert.Equal("snippet.cs", v.File);
            Assert.Equal(5, v.Line);
            Assert.Equal("int?", v.Construct);
            Assert.StartsWith("snippet.cs:5: [nullable-value-type] `int?`", v.ToString());
        }

        [Fact]
        public void TheLanguageVersionComesFromTheProjectAndDefaultsToCSharp9()
        {
            // A raw string literal is fine for C# 11 but not for the project system's default C# 9.
            const string code = "class A { string s = \"\"\"raw\"\"\"; }";

            Assert.Empty(NanoSourceChecker.CheckSnippet(code, LanguageVersion.CSharp11));
            Assert.NotEmpty(NanoSourceChecker.CheckSnippet(code));
            Assert.Equal(LanguageVersion.CSharp9, NanoSourceChecker.DeviceDefaultLanguageVersion);
        }

        /// <summary>What nanoFramework runs must not be flagged: each of these lowers to IL the device runs
        /// (checked against the device mscorlib by compiling them in the nano-compat shape).</summary>
        [Fact]
        public void CleanCodePasses()
        {
            const string code = @"
using System;
using System.Collections;
using System.Threading;

namespace IotyDevice.Core
{
    public delegate void Tick(int now);

    public enum Fault { None = 0, Timeout = 4 }

    public interface IClock { int Now { get; } void Sleep(int ms); event Tick Ticked; }

    public struct Span2 { public int A; public int B; }

    public static class Ext { public static int Twice(this int v) { return v * 2; } }

    public class Sample
    {
        private readonly object gate = new object();
        private readonly ArrayList queue = new ArrayList();
        private readonly int[][] jagged = new int[2][];
        private string text;

        public int Port { get; init; }
        public string Text { get { return text; } set { text = value; } }

        public string Describe(Fault fault, int code, double seconds, string host)
        {
            string name;
            switch (fault)
            {
                case Fault.Timeout: name = ""timeout""; break;
                default: name = ""none""; break;
            }
            int k = 3;
            int Local(int x) { return x * k; }
            Tick t = now => k += now;
            t(Local(code));
            lock (gate) { queue.Add(code); }
            foreach (object o in queue) { k += (int)o; }
            foreach (char c in host) { k += c; }
            string kind = code switch { 0 => ""ok"", _ => ""refused"" };
            try { k /= code; }
            catch (DivideByZeroException e) when (e.Message != null) { k = 0; }
            jagged[0] = new int[] { 1, 2 };
            return $""{name} {kind} {host}:{code:D4} {seconds:F2} 0x{k:X8} {(int)fault} {code.Twice()}""
                + string.Format(""{0} {1:N2}"", host, seconds) + seconds.ToString(""F1"") + Fault.Timeout.GetHashCode();
        }
    }
}
";
            var violations = NanoSourceChecker.CheckSnippet(code);

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        }
    }
}

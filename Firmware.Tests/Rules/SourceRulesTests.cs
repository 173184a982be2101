using Microsoft.CodeAnalysis.CSharp;

namespace Firmware.Tests.Rules;

/// <summary>The firmware's sources (Firmware/**/*.cs: core, device adapters, lesson) use nothing the nanoFramework 1.x
/// runtime cannot run. Host/IotyDevice.Core.Nano proves the core calls only what the device's mscorlib has; this
/// catches what compiles there but fails on the device, and covers Firmware/Device, which no build here compiles.</summary>
public class SourceRulesTests
{
    [Fact]
    public void The_firmware_sources_use_only_what_nanoFramework_runs()
    {
        var files = RepoPaths.FirmwareSources();
        var violations = NanoSourceChecker.CheckFiles(files, NanoSourceChecker.DeviceLanguageVersion(RepoPaths.Root), RepoPaths.Relative);

        Assert.True(files.Count > 40, "only " + files.Count + " .cs found under Firmware/");
        Assert.True(violations.Count == 0, violations.Count + " construct(s) nanoFramework 1.x cannot run:\n" + string.Join("\n", violations));
    }

    // Each rule can fail: every snippet goes through the same checker as the scan.
    [Theory]
    [InlineData(NanoSourceChecker.Generics, "class Box<T> { public T Value; }")]
    [InlineData(NanoSourceChecker.Generics, "using System.Collections.Generic; class A { List<int> items = new List<int>(); }")]
    [InlineData(NanoSourceChecker.Generics, "using System; class A { Action<string> a; }")]
    [InlineData(NanoSourceChecker.Generics, "class A { int[] F(int[] a) { System.Array.Resize(ref a, 4); return a; } }")]
    [InlineData(NanoSourceChecker.Generics, "class A { void F() { var t = System.Tuple.Create(1, 2); } }")]
    [InlineData(NanoSourceChecker.Generics, "class A { void F(System.Collections.Generic.Dictionary<int, int> d) { foreach (var p in d) { } } }")]
    [InlineData(NanoSourceChecker.Generics, "class A { void F(byte[] b) { System.Span<byte> s = b; } }")]
    [InlineData(NanoSourceChecker.NullableValueType, "class A { int? count; }")]
    [InlineData(NanoSourceChecker.NullableValueType, "class A { bool F(System.DateTime? when) { return when == null; } }")]
    [InlineData(NanoSourceChecker.Async, "using System.Threading.Tasks; class A { async Task F() { await Task.Delay(1); } }")]
    [InlineData(NanoSourceChecker.Async, "class A { async void F() { } }")]
    [InlineData(NanoSourceChecker.Async, "class A { void F() { System.Threading.Tasks.Task.Run(() => { }); } }")]
    [InlineData(NanoSourceChecker.Record, "record Point(int X, int Y);")]
    [InlineData(NanoSourceChecker.Tuple, "class A { (int, string) F() { return default; } }")]
    [InlineData(NanoSourceChecker.Tuple, "class A { void F() { int a = 1, b = 2; (a, b) = (b, a); } }")]
    [InlineData(NanoSourceChecker.Linq, "using System.Linq; class A { }")]
    [InlineData(NanoSourceChecker.Linq, "class A { int F(int[] a) { return System.Linq.Enumerable.Count(a); } }")]
    [InlineData(NanoSourceChecker.Linq, "class A { object F(int[] a) { return from x in a where x > 1 select x; } }")]
    [InlineData(NanoSourceChecker.Yield, "using System.Collections; class A { IEnumerable F() { yield return 1; } }")]
    [InlineData(NanoSourceChecker.IndexRange, "class A { int F(int[] a) { return a[^1]; } }")]
    [InlineData(NanoSourceChecker.IndexRange, "class A { string F(string s) { return s[1..]; } }")]
    [InlineData(NanoSourceChecker.MultiDimensionalArray, "class A { int[,] grid = new int[2, 3]; }")]
    [InlineData(NanoSourceChecker.DefaultInterfaceMember, "interface IClock { int Now(); int Twice() { return Now() * 2; } }")]
    [InlineData(NanoSourceChecker.Volatile, "class A { volatile bool stop; }")]
    [InlineData(NanoSourceChecker.StringJoin, "class A { string F(string[] s) { return string.Join(\", \", s); } }")]
    [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return f.ToString(); } }")]
    [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return \"fault: \" + f; } }")]
    [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return $\"fault: {f}\"; } }")]
    [InlineData(NanoSourceChecker.EnumName, "enum Fault { Timeout } class A { string F(Fault f) { return string.Format(\"{0}\", f); } }")]
    [InlineData(NanoSourceChecker.NumericFormat, "class A { string F(double d) { return d.ToString(\"0.00\"); } }")]
    [InlineData(NanoSourceChecker.NumericFormat, "class A { string F(int n) { return $\"{n:#,##0}\"; } }")]
    [InlineData(NanoSourceChecker.NumericFormat, "class A { string F(double p) { return string.Format(\"{0:P1} done\", p); } }")]
    [InlineData(NanoSourceChecker.LanguageVersion, "namespace N; class A { }")]
    public void Each_rule_flags_its_construct(string rule, string code)
    {
        var violations = NanoSourceChecker.Check(new[] { ("snippet.cs", code) });

        Assert.True(violations.Any(v => v.Rule == rule), "expected [" + rule + "] for: " + code + "\ngot: " + string.Join("\n", violations));
    }

    [Fact]
    public void A_violation_names_file_line_and_construct_and_the_device_language_version_is_read_from_nfproj_props()
    {
        var v = Assert.Single(NanoSourceChecker.Check(new[] { ("snippet.cs", "namespace N\n{\n    class A\n    {\n        int? count;\n    }\n}\n") }));
        Assert.StartsWith("snippet.cs:5: [nullable-value-type] `int?`", v.ToString());

        Assert.Equal(LanguageVersion.CSharp9, NanoSourceChecker.DeviceLanguageVersion(RepoPaths.Root));
        Assert.Empty(NanoSourceChecker.Check(new[] { ("a.cs", "namespace N; class A { }") }, LanguageVersion.CSharp10));
    }

    /// <summary>What the device runs is not flagged: each of these lowers to IL nanoFramework runs.</summary>
    [Fact]
    public void Code_nanoFramework_runs_passes()
    {
        const string code = @"
using System;
using System.Collections;
namespace IotyDevice.Core
{
    public delegate void Tick(int now);
    public enum Fault { None = 0, Timeout = 4 }
    public interface IClock { int Now { get; } event Tick Ticked; }
    public static class Ext { public static int Twice(this int v) { return v * 2; } }
    public class Sample
    {
        private readonly object gate = new object();
        private readonly ArrayList queue = new ArrayList();
        private readonly int[][] jagged = new int[2][];
        private string text;
        public int Port { get; init; }
        public string Describe(Fault fault, int code, double seconds, string host)
        {
            string name = fault == Fault.Timeout ? ""timeout"" : ""none"";
            int k = 3;
            int Local(int x) { return x * k; }
            Tick t = now => k += now;
            t(Local(code));
            lock (gate) { queue.Add(code); }
            foreach (object o in queue) { k += (int)o; }
            string kind = code switch { 0 => ""ok"", _ => ""refused"" };
            try { k /= code; } catch (DivideByZeroException e) when (e.Message != null) { k = 0; }
            jagged[0] = new int[] { 1, 2 };
            return $""{name} {kind} {host}:{code:D4} {seconds:F2} 0x{k:X8} {(int)fault} {code.Twice()} {text}""
                + string.Format(""{0} {1:N2}"", host, seconds) + seconds.ToString(""F1"");
        }
    }
}";
        var violations = NanoSourceChecker.Check(new[] { ("clean.cs", code) });

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}

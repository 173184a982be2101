using System.Xml.Linq;

namespace Firmware.Tests.Rules;

/// <summary>The device project (Firmware/Firmware.nfproj, which only Visual Studio with the nanoFramework extension
/// builds) agrees with the tree: it compiles every firmware source on disk, its references are the packages of
/// packages.config (which Host/IotyDevice.Core.Nano reads too), and the built-in CA is certs/isrg-root-x1.pem.
/// Each check takes text and returns its problems, so the second half of the class can feed it broken input.</summary>
public class ProjectFilesTests
{
    /// <summary>The Compile items are exactly <paramref name="sources"/> (paths relative to Firmware/, on disk), each
    /// written with backslashes as the nanoFramework project system writes them.</summary>
    public static List<string> CompileProblems(string nfproj, IEnumerable<string> sources)
    {
        var items = Elements(nfproj, "Compile").Select(e => (string)e.Attribute("Include")).Where(i => i != null).ToList();
        var files = sources.Select(s => s.Replace('/', '\\')).ToList();
        return items.Where(i => i.Contains('/')).Select(i => "Compile item \"" + i + "\" uses '/': write \"" + i.Replace('/', '\\') + "\"")
            .Concat(files.Except(items).Select(f => f + " is not compiled for the board: add <Compile Include=\"" + f + "\" /> to Firmware.nfproj"))
            .Concat(items.Where(i => !i.Contains('/')).Except(files).Select(i => "Firmware.nfproj compiles " + i + ", which is not on disk (moved or renamed?)"))
            .ToList();
    }

    /// <summary>Every Reference's HintPath is ..\packages\&lt;id&gt;.&lt;version&gt;\... of a package in packages.config (where
    /// NuGet restores it, next to IotyDevice.sln).</summary>
    public static List<string> PackageProblems(string nfproj, string packagesConfig)
    {
        var packages = Elements(packagesConfig, "package").Select(p => (string)p.Attribute("id") + "." + (string)p.Attribute("version")).ToList();
        var problems = new List<string>();
        foreach (var reference in Elements(nfproj, "Reference"))
        {
            string hint = reference.Elements().FirstOrDefault(e => e.Name.LocalName == "HintPath")?.Value.Trim() ?? "";
            string[] parts = hint.Split('\\');
            if (parts.Length < 3 || parts[0] != ".." || parts[1] != "packages" || !packages.Contains(parts[2]))
                problems.Add("Reference " + ((string)reference.Attribute("Include")).Split(',')[0] + ": HintPath \"" + hint
                    + "\" is not ..\\packages\\<id>.<version>\\... of a package in packages.config (" + string.Join(", ", packages) + ")");
        }
        return problems;
    }

    /// <summary>The PEM in Firmware/Device/IsrgRootX1.cs is certs/isrg-root-x1.pem (the host reads that file), line for line.</summary>
    public static List<string> CaProblems(string source, string pem)
    {
        string[] Lines(string text, int from) => text[from..].Replace("\r", "").Split('\n')
            .TakeWhile(l => !l.StartsWith("-----END", StringComparison.Ordinal)).ToArray();
        int begin = source.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        string[] inCode = begin < 0 ? Array.Empty<string>() : Lines(source, begin), inFile = Lines(pem, 0);
        int differs = Enumerable.Range(0, Math.Max(inCode.Length, inFile.Length))
            .FirstOrDefault(i => i >= inCode.Length || i >= inFile.Length || inCode[i] != inFile[i], -1);
        return differs < 0 ? new List<string>()
            : new List<string> { "Firmware/Device/IsrgRootX1.cs differs from certs/isrg-root-x1.pem at PEM line " + (differs + 1) + ": copy the file in, unindented" };
    }

    private static IEnumerable<XElement> Elements(string xml, string name) => XDocument.Parse(xml).Descendants().Where(e => e.Name.LocalName == name);

    // ---- the real files -----------------------------------------------------------------------------------------

    [Fact]
    public void Firmware_nfproj_compiles_every_firmware_source_on_disk_and_nothing_else() =>
        AssertNone(CompileProblems(RepoPaths.Read("Firmware/Firmware.nfproj"), RepoPaths.FirmwareSources().Select(f => Path.GetRelativePath(RepoPaths.Firmware, f))));

    [Fact]
    public void Firmware_nfproj_references_the_packages_of_packages_config() =>
        AssertNone(PackageProblems(RepoPaths.Read("Firmware/Firmware.nfproj"), RepoPaths.Read("Firmware/packages.config")));

    [Fact]
    public void The_built_in_CA_is_certs_isrg_root_x1_pem() =>
        AssertNone(CaProblems(RepoPaths.Read("Firmware/Device/IsrgRootX1.cs"), RepoPaths.Read("certs/isrg-root-x1.pem")));

    private static void AssertNone(List<string> problems) => Assert.True(problems.Count == 0, string.Join("\n", problems));

    // ---- each check can fail ------------------------------------------------------------------------------------

    private const string Nfproj = """
        <Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
          <ItemGroup><Compile Include="Program.cs" /><Compile Include="Core\Loop\Device.cs" /></ItemGroup>
          <ItemGroup>
            <Reference Include="mscorlib, Version=1.17.11.0"><HintPath>..\packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll</HintPath></Reference>
            <Reference Include="System.Net, Version=1.11.60.0"><HintPath>..\packages\nanoFramework.System.Net.1.11.60\lib\System.Net.dll</HintPath></Reference>
          </ItemGroup>
        </Project>
        """;

    private const string Packages = """
        <packages>
          <package id="nanoFramework.CoreLibrary" version="1.17.11" targetFramework="netnano1.0" />
          <package id="nanoFramework.System.Net" version="1.11.60" targetFramework="netnano1.0" />
        </packages>
        """;

    private static readonly string[] Sources = { "Program.cs", "Core/Loop/Device.cs" };

    [Fact]
    public void A_consistent_project_passes()
    {
        AssertNone(CompileProblems(Nfproj, Sources));
        AssertNone(PackageProblems(Nfproj, Packages));
    }

    [Theory]
    [InlineData("Core/Loop/Device.cs", "Core/Connection/Device.cs", "Core\\Connection\\Device.cs is not compiled for the board")] // a file moved on disk
    [InlineData("Core/Loop/Device.cs", "Core/Connection/Device.cs", "compiles Core\\Loop\\Device.cs, which is not on disk")]
    [InlineData("Program.cs", "program.cs", "program.cs is not compiled")]
    public void A_source_the_nfproj_does_not_compile_is_named(string onDisk, string movedTo, string expected)
    {
        Assert.Contains(CompileProblems(Nfproj, Sources.Select(s => s == onDisk ? movedTo : s)), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_compile_item_with_forward_slashes_is_named()
    {
        Assert.Contains(CompileProblems(Nfproj.Replace("Core\\Loop\\Device.cs", "Core/Loop/Device.cs"), Sources), p => p.Contains("uses '/'"));
    }

    [Theory]
    [InlineData("System.Net.1.11.60\\lib", "System.Net.1.11.54\\lib", "Reference System.Net: HintPath")] // version not in packages.config
    [InlineData("..\\packages\\nanoFramework.CoreLibrary", "packages\\nanoFramework.CoreLibrary", "Reference mscorlib: HintPath")] // not where NuGet restores
    public void A_reference_outside_packages_config_is_named(string good, string bad, string expected)
    {
        Assert.Contains(PackageProblems(Nfproj.Replace(good, bad), Packages), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_built_in_CA_that_differs_from_the_pem_file_is_named()
    {
        string pem = RepoPaths.Read("certs/isrg-root-x1.pem").Replace("\r", "");
        string Source(string text) => "class IsrgRootX1 { public const string Pem = @\"" + text + "\"; }";

        AssertNone(CaProblems(Source(pem.Replace("\n", "\r\n")), pem));
        Assert.Contains("at PEM line 2", Assert.Single(CaProblems(Source(pem.Replace("\nMII", "\n    MII")), pem)));
        Assert.Contains("at PEM line 6", Assert.Single(CaProblems(Source(pem.Replace(pem.Split('\n')[5], "A" + pem.Split('\n')[5][1..] + "x")), pem)));
        Assert.Single(CaProblems("class IsrgRootX1 { }", pem));
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace Firmware.Tests.Rules
{
    /// <summary>
    /// The device project (Firmware/Firmware.nfproj, built only by Visual Studio with the nanoFramework
    /// extension) agrees with the tree. The first group reads the real files; the second feeds each checker
    /// broken input to prove it can fail.
    /// </summary>
    public class ProjectConsistencyTests
    {
        private static string NfprojPath => Path.Combine(RepoPaths.Firmware, "Firmware.nfproj");
        private static string PackagesConfigPath => Path.Combine(RepoPaths.Firmware, "packages.config");
        private static string NfprojPropsPath => Path.Combine(RepoPaths.Root, "nfproj.props");
        private static string CaSourcePath => Path.Combine(RepoPaths.Firmware, "Device", "IsrgRootX1.cs");
        private static string PemPath => Path.Combine(RepoPaths.Root, "certs", "isrg-root-x1.pem");

        private static string Read(string path)
        {
            Assert.True(File.Exists(path), RepoPaths.Relative(path) + " does not exist");
            return File.ReadAllText(path);
        }

        private static void AssertNone(List<string> problems)
        {
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        // ---- the real files ------------------------------------------------------------------------------

        [Fact]
        public void NfprojIsWellFormedAndUsesTheNanoFrameworkProjectSystem()
        {
            AssertNone(ProjectConsistencyChecker.NfprojProjectSystemProblems(Read(NfprojPath), rel =>
            {
                string path = Path.GetFullPath(Path.Combine(RepoPaths.Firmware, rel.Replace('\\', Path.DirectorySeparatorChar)));
                return File.Exists(path) ? File.ReadAllText(path) : null;
            }));
        }

        [Fact]
        public void EveryFirmwareSourceIsACompileItemAndEveryCompileItemExists()
        {
            string firmware = RepoPaths.Firmware;
            var sources = RepoPaths.FirmwareSources()
                .Select(p => Path.GetRelativePath(firmware, p).Replace('/', '\\'))
                .ToList();

            AssertNone(ProjectConsistencyChecker.CompileItemProblems(Read(NfprojPath), sources,
                rel => File.Exists(Path.Combine(firmware, rel.Replace('\\', Path.DirectorySeparatorChar)))));
        }

        [Fact]
        public void EveryReferenceComesFromAPackageInPackagesConfig()
        {
            AssertNone(ProjectConsistencyChecker.ReferenceProblems(Read(NfprojPath), Read(PackagesConfigPath),
                ExpectedPackagesFolder()));
        }

        [Fact]
        public void CoreLibraryVersionMatchesNfprojProps()
        {
            AssertNone(ProjectConsistencyChecker.CoreLibraryVersionProblems(Read(PackagesConfigPath), Read(NfprojPropsPath)));
        }

        [Fact]
        public void BuiltInCaIsCertsIsrgRootX1()
        {
            AssertNone(ProjectConsistencyChecker.BuiltInCaProblems(Read(CaSourcePath), Read(PemPath),
                RepoPaths.Relative(CaSourcePath)));
        }

        [Fact]
        public void NoRealSettingsAreCommitted()
        {
            AssertNone(ProjectConsistencyChecker.CommittedSecretFileProblems(TrackedFiles()));
        }

        [Fact]
        public void SettingsExampleHoldsOnlyPlaceholders()
        {
            var tracked = TrackedFiles();
            Assert.True(tracked.Any(p => Path.GetFileName(p).Equals("settings.example.json", StringComparison.OrdinalIgnoreCase)),
                "no settings.example.json is committed");
            // settings.example.json and its kin (deploy.example.json): what a learner copies and fills in.
            var examples = tracked
                .Where(p => p.EndsWith(".example.json", StringComparison.OrdinalIgnoreCase))
                .ToList();

            var problems = new List<string>();
            foreach (var example in examples)
            {
                problems.AddRange(ProjectConsistencyChecker.SettingsExampleProblems(
                    File.ReadAllText(Path.Combine(RepoPaths.Root, example)), example));
            }
            AssertNone(problems);
        }

        /// <summary>packages.config packages restore next to the .sln: ..\packages\ from Firmware/. Null (not
        /// checked) when there is no .sln or a nuget.config moves the folder.</summary>
        private static string ExpectedPackagesFolder()
        {
            if (!File.Exists(Path.Combine(RepoPaths.Root, "IotyDevice.sln")))
            {
                return null;
            }
            foreach (var config in Directory.EnumerateFiles(RepoPaths.Root, "*.config")
                .Where(f => Path.GetFileName(f).Equals("nuget.config", StringComparison.OrdinalIgnoreCase)))
            {
                if (File.ReadAllText(config).Contains("repositoryPath", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }
            return Path.GetRelativePath(RepoPaths.Firmware, RepoPaths.Root).Replace('/', '\\') + "\\packages\\";
        }

        /// <summary>Files git tracks (relative, forward slashes); without git, every file outside build output.</summary>
        private static List<string> TrackedFiles()
        {
            try
            {
                var start = new ProcessStartInfo("git", "ls-files -z")
                {
                    WorkingDirectory = RepoPaths.Root,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var git = Process.Start(start);
                string output = git.StandardOutput.ReadToEnd();
                git.StandardError.ReadToEnd();
                git.WaitForExit();
                if (git.ExitCode == 0)
                {
                    return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No git: fall through.
            }
            return RepoPaths.EnumerateFiles(RepoPaths.Root, "*").Select(RepoPaths.Relative).ToList();
        }

        // ---- the checkers can fail -----------------------------------------------------------------------

        private const string GoodNfproj = @"<?xml version=""1.0"" encoding=""utf-8""?>
<Project ToolsVersion=""Current"" DefaultTargets=""Build"" xmlns=""http://schemas.microsoft.com/developer/msbuild/2003"">
  <PropertyGroup Label=""Globals"">
    <NanoFrameworkProjectSystemPath>$(MSBuildExtensionsPath)\nanoFramework\v1.0\</NanoFrameworkProjectSystemPath>
  </PropertyGroup>
  <Import Project=""$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props"" Condition=""Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props')"" />
  <PropertyGroup>
    <ProjectTypeGuids>{11A8DD76-328B-46DF-9F39-F559912D0360};{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}</ProjectTypeGuids>
    <OutputType>Exe</OutputType>
  </PropertyGroup>
  <Import Project=""$(NanoFrameworkProjectSystemPath)NFProjectSystem.props"" Condition=""Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.props')"" />
  <ItemGroup>
    <Compile Include=""Program.cs"" />
    <Compile Include=""Core\Loop\Device.cs"" />
  </ItemGroup>
  <ItemGroup>
    <Reference Include=""mscorlib, Version=1.17.11.0, Culture=neutral, PublicKeyToken=c07d481e9758c731"">
      <HintPath>..\packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll</HintPath>
    </Reference>
    <Reference Include=""System.Net, Version=1.11.52.0, Culture=neutral, PublicKeyToken=c07d481e9758c731"">
      <HintPath>..\packages\nanoFramework.System.Net.1.11.52\lib\System.Net.dll</HintPath>
    </Reference>
  </ItemGroup>
  <Import Project=""$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets"" Condition=""Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets')"" />
</Project>";

        private const string GoodPackages = @"<?xml version=""1.0"" encoding=""utf-8""?>
<packages>
  <package id=""nanoFramework.CoreLibrary"" version=""1.17.11"" targetFramework=""netnano1.0"" />
  <package id=""nanoFramework.System.Net"" version=""1.11.52"" targetFramework=""netnano1.0"" />
</packages>";

        private const string GoodProps =
            "<Project><PropertyGroup><NanoCoreLibraryVersion>1.17.11</NanoCoreLibraryVersion></PropertyGroup></Project>";

        private static readonly string[] GoodSources = { "Program.cs", "Core\\Loop\\Device.cs" };

        private static bool Exists(string rel) => GoodSources.Contains(rel);

        private static void AssertReports(List<string> problems, string expectedFragment)
        {
            Assert.True(problems.Any(p => p.Contains(expectedFragment, StringComparison.OrdinalIgnoreCase)),
                "expected a problem mentioning \"" + expectedFragment + "\"; got: "
                + (problems.Count == 0 ? "none" : string.Join(" | ", problems)));
        }

        [Fact]
        public void TheCheckersAcceptAConsistentProject()
        {
            AssertNone(ProjectConsistencyChecker.NfprojProjectSystemProblems(GoodNfproj));
            AssertNone(ProjectConsistencyChecker.CompileItemProblems(GoodNfproj, GoodSources, Exists));
            AssertNone(ProjectConsistencyChecker.ReferenceProblems(GoodNfproj, GoodPackages, "..\\packages\\"));
            AssertNone(ProjectConsistencyChecker.CoreLibraryVersionProblems(GoodPackages, GoodProps));
        }

        [Theory]
        [InlineData("<Project><PropertyGroup></Project>", "not well-formed")]
        [InlineData("NFProjectSystem.Default.props\"", "does not import NFProjectSystem.Default.props")]
        [InlineData("Condition=\"Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets')\"", "without Condition")]
        [InlineData("{11A8DD76-328B-46DF-9F39-F559912D0360};", "lacks {11A8DD76-328B-46DF-9F39-F559912D0360}")]
        [InlineData("<ProjectTypeGuids>", "no <ProjectTypeGuids>")]
        [InlineData("<NanoFrameworkProjectSystemPath>", "without defining it")]
        public void ProjectSystemCheckReports(string breakWhat, string expected)
        {
            string broken = breakWhat.StartsWith("<Project>", StringComparison.Ordinal)
                ? breakWhat
                : Break(GoodNfproj, breakWhat);

            AssertReports(ProjectConsistencyChecker.NfprojProjectSystemProblems(broken), expected);
        }

        /// <summary>Removes the text (and, for an element's start tag, the whole element) from the good nfproj.</summary>
        private static string Break(string xml, string what)
        {
            switch (what)
            {
                case "NFProjectSystem.Default.props\"":
                    return RemoveLineContaining(xml, "NFProjectSystem.Default.props");
                case "<ProjectTypeGuids>":
                    return RemoveLineContaining(xml, "<ProjectTypeGuids>");
                case "<NanoFrameworkProjectSystemPath>":
                    return RemoveLineContaining(xml, "<NanoFrameworkProjectSystemPath>");
                default:
                    Assert.Contains(what, xml);
                    return xml.Replace(what, "");
            }
        }

        private static string RemoveLineContaining(string text, string fragment)
        {
            Assert.Contains(fragment, text);
            return string.Join("\n", text.Split('\n').Where(l => !l.Contains(fragment, StringComparison.Ordinal)));
        }

        [Fact]
        public void ProjectSystemCheckFindsPropertiesInAnImportedProps()
        {
            string nfproj = RemoveLineContaining(GoodNfproj, "<NanoFrameworkProjectSystemPath>")
                .Replace("<PropertyGroup Label=\"Globals\">", "<Import Project=\"..\\nfproj.props\" /><PropertyGroup Label=\"Globals\">");
            const string props = "<Project><PropertyGroup><NanoFrameworkProjectSystemPath>x\\</NanoFrameworkProjectSystemPath></PropertyGroup></Project>";

            AssertNone(ProjectConsistencyChecker.NfprojProjectSystemProblems(nfproj, rel => rel == "..\\nfproj.props" ? props : null));
            AssertReports(ProjectConsistencyChecker.NfprojProjectSystemProblems(nfproj, rel => null), "..\\nfproj.props");
            AssertReports(ProjectConsistencyChecker.NfprojProjectSystemProblems(nfproj, rel => "<Project>"), "not well-formed");
            AssertReports(ProjectConsistencyChecker.NfprojProjectSystemProblems(nfproj,
                rel => "<Project><PropertyGroup /></Project>"), "without defining it");
        }

        [Fact]
        public void ProjectSystemCheckReportsImportsOutOfOrder()
        {
            string defaultProps = GoodNfproj.Split('\n').First(l => l.Contains("NFProjectSystem.Default.props"));
            string targets = GoodNfproj.Split('\n').First(l => l.Contains("NFProjectSystem.CSharp.targets"));
            string swapped = GoodNfproj.Replace(defaultProps, "@@A@@").Replace(targets, defaultProps).Replace("@@A@@", targets);

            AssertReports(ProjectConsistencyChecker.NfprojProjectSystemProblems(swapped), "before");
        }

        [Fact]
        public void CompileCheckReportsASourceThatIsNotCompiled()
        {
            var sources = GoodSources.Concat(new[] { "Device\\WifiNetwork.cs" }).ToList();

            AssertReports(ProjectConsistencyChecker.CompileItemProblems(GoodNfproj, sources, rel => sources.Contains(rel)),
                "Device\\WifiNetwork.cs is not a Compile item");
        }

        [Fact]
        public void CompileCheckReportsAMissingFile()
        {
            AssertReports(ProjectConsistencyChecker.CompileItemProblems(GoodNfproj, new[] { "Program.cs" }, rel => rel == "Program.cs"),
                "Core\\Loop\\Device.cs\" (line 14) names a file that does not exist");
        }

        [Fact]
        public void CompileCheckReportsForwardSlashesWildcardsAndDuplicates()
        {
            string slashes = GoodNfproj.Replace("Core\\Loop\\Device.cs", "Core/Loop/Device.cs");
            AssertReports(ProjectConsistencyChecker.CompileItemProblems(slashes, GoodSources, rel => true), "uses '/'");

            string wildcard = GoodNfproj.Replace("Core\\Loop\\Device.cs", "Core\\**\\*.cs");
            AssertReports(ProjectConsistencyChecker.CompileItemProblems(wildcard, GoodSources, rel => true), "wildcard");

            string twice = GoodNfproj.Replace("<Compile Include=\"Program.cs\" />",
                "<Compile Include=\"Program.cs\" /><Compile Include=\"Program.cs\" />");
            AssertReports(ProjectConsistencyChecker.CompileItemProblems(twice, GoodSources, Exists), "listed twice");

            string wrongCase = GoodNfproj.Replace("Core\\Loop\\Device.cs", "core\\loop\\device.cs");
            AssertReports(ProjectConsistencyChecker.CompileItemProblems(wrongCase, GoodSources, rel => true), "differs in case");
        }

        [Fact]
        public void ReferenceCheckReportsAVersionNotInPackagesConfig()
        {
            string nfproj = GoodNfproj.Replace("nanoFramework.System.Net.1.11.52", "nanoFramework.System.Net.1.11.50");

            AssertReports(ProjectConsistencyChecker.ReferenceProblems(nfproj, GoodPackages, "..\\packages\\"),
                "names nanoFramework.System.Net.1.11.50 but packages.config has nanoFramework.System.Net 1.11.52");
        }

        [Fact]
        public void ReferenceCheckReportsAPackageNotInPackagesConfig()
        {
            string packages = GoodPackages.Replace(
                "<package id=\"nanoFramework.System.Net\" version=\"1.11.52\" targetFramework=\"netnano1.0\" />", "");

            AssertReports(ProjectConsistencyChecker.ReferenceProblems(GoodNfproj, packages, "..\\packages\\"),
                "nanoFramework.System.Net.1.11.52, which is no package in packages.config");
        }

        [Fact]
        public void ReferenceCheckReportsAHintPathOutsideTheRestoredPackagesFolder()
        {
            string nfproj = GoodNfproj.Replace("..\\packages\\nanoFramework.CoreLibrary", "packages\\nanoFramework.CoreLibrary");
            AssertReports(ProjectConsistencyChecker.ReferenceProblems(nfproj, GoodPackages, "..\\packages\\"),
                "looks in packages\\");

            string noHint = GoodNfproj.Replace("<HintPath>..\\packages\\nanoFramework.System.Net.1.11.52\\lib\\System.Net.dll</HintPath>", "");
            AssertReports(ProjectConsistencyChecker.ReferenceProblems(noHint, GoodPackages, null), "has no HintPath");
        }

        [Theory]
        [InlineData("<packages><package id=\"nanoFramework.CoreLibrary\" version=\"1.17.11\"></packages>", "not well-formed")]
        [InlineData("<packages><package id=\"nanoFramework.CoreLibrary\" /></packages>", "without id or version")]
        [InlineData("<packages><package id=\"nanoFramework.CoreLibrary\" version=\"1.17.*\" /></packages>", "not an exact version")]
        [InlineData("<packages><package id=\"nanoFramework.CoreLibrary\" version=\"1.17.11\" /><package id=\"nanoFramework.CoreLibrary\" version=\"1.17.11\" /></packages>", "twice")]
        [InlineData("<packages><package id=\"nanoFramework.CoreLibrary\" version=\"1.17.11\" targetFramework=\"net48\" /></packages>", "expected netnano1.0")]
        [InlineData("<configuration />", "not <packages>")]
        public void PackagesConfigCheckReports(string packagesConfig, string expected)
        {
            AssertReports(ProjectConsistencyChecker.ReferenceProblems(GoodNfproj, packagesConfig, null), expected);
        }

        [Fact]
        public void CoreLibraryCheckReportsAVersionMismatch()
        {
            AssertReports(ProjectConsistencyChecker.CoreLibraryVersionProblems(GoodPackages, GoodProps.Replace("1.17.11", "1.17.7")),
                "packages.config has nanoFramework.CoreLibrary 1.17.11 but nfproj.props has NanoCoreLibraryVersion 1.17.7");
            AssertReports(ProjectConsistencyChecker.CoreLibraryVersionProblems(GoodPackages, "<Project />"),
                "defines no <NanoCoreLibraryVersion>");
            AssertReports(ProjectConsistencyChecker.CoreLibraryVersionProblems(
                "<packages><package id=\"nanoFramework.System.Net\" version=\"1.11.52\" /></packages>", GoodProps),
                "has no nanoFramework.CoreLibrary");
        }

        private static string Pem => File.ReadAllText(PemPath);

        private static string CaClass(string pem) =>
            "namespace X { internal static class IsrgRootX1 { public const string Pem = @\"" + pem + "\"; } }";

        [Fact]
        public void CaCheckIgnoresLineEndingsOnly()
        {
            string lf = Pem.Replace("\r\n", "\n");
            AssertNone(ProjectConsistencyChecker.BuiltInCaProblems(CaClass(lf.Replace("\n", "\r\n")), lf, "ca.cs"));
            AssertNone(ProjectConsistencyChecker.BuiltInCaProblems(CaClass(lf.TrimEnd('\n')), lf, "ca.cs"));

            string concatenated = "namespace X { static class C { const string Pem = \"" + lf.Substring(0, 100).Replace("\n", "\\n")
                + "\" + \"" + lf.Substring(100).Replace("\n", "\\n") + "\"; } }";
            AssertNone(ProjectConsistencyChecker.BuiltInCaProblems(concatenated, lf, "ca.cs"));
        }

        [Fact]
        public void CaCheckReportsADifferentCertificate()
        {
            string lf = Pem.Replace("\r\n", "\n");
            var lines = lf.Split('\n');
            string changedLine = lines[5];
            lines[5] = (changedLine[0] == 'A' ? 'B' : 'A') + changedLine.Substring(1);
            string changed = string.Join("\n", lines);

            AssertReports(ProjectConsistencyChecker.BuiltInCaProblems(CaClass(changed), lf, "ca.cs"), "differs from certs/isrg-root-x1.pem at PEM line 6");
            AssertReports(ProjectConsistencyChecker.BuiltInCaProblems(CaClass(lf.Replace("\nMII", "\n    MII")), lf, "ca.cs"), "at PEM line 2");
            AssertReports(ProjectConsistencyChecker.BuiltInCaProblems("namespace X { static class C { } }", lf, "ca.cs"), "found 0");
            var notIsrg = ProjectConsistencyChecker.BuiltInCaProblems(CaClass(changed), changed, "ca.cs");
            Assert.True(notIsrg.Any(p => p.Contains("not ISRG Root X1") || p.Contains("does not parse")),
                "a PEM file that is not ISRG Root X1 went unnoticed: " + string.Join(" | ", notIsrg));
        }

        [Fact]
        public void SecretFileCheckReportsCommittedSettings()
        {
            var tracked = new[] { "README.md", "Firmware/settings.example.json", "Firmware/settings.json", "tools/deploy.json" };

            var problems = ProjectConsistencyChecker.CommittedSecretFileProblems(tracked);

            Assert.Equal(2, problems.Count);
            AssertReports(problems, "Firmware/settings.json is committed");
            AssertReports(problems, "tools/deploy.json is committed");
        }

        [Fact]
        public void SettingsExampleCheckAcceptsPlaceholders()
        {
            const string json = @"{
  // comments are allowed
  ""WifiSsid"": ""YOUR-WIFI-NAME"",
  ""WifiPassword"": ""YOUR-WIFI-PASSWORD"",
  ""BrokerHost"": ""your-cluster-id.s1.eu.hivemq.cloud"",
  ""BrokerPort"": 8883,
  ""BrokerUsername"": ""<broker user>"",
  ""BrokerPassword"": """",
  ""CaCertificate"": ""isrg-root-x1"",
  ""ClientIdPrefix"": ""class3-"",
  ""StatusTopic"": ""{clientId}/status"",
  ""KeepAliveSeconds"": 60,
}";
            AssertNone(ProjectConsistencyChecker.SettingsExampleProblems(json, "settings.example.json"));
        }

        [Theory]
        [InlineData("{ \"WifiPassword\": \"hunter2\" }", "\"WifiPassword\"")]
        [InlineData("{ \"BrokerUsername\": \"alice\" }", "\"BrokerUsername\"")]
        [InlineData("{ \"WifiSsid\": \"FRITZ!Box 7590 KL\" }", "\"WifiSsid\"")]
        [InlineData("{ \"BrokerHost\": \"0f8c4a7e2b9d4e61a3c5b7d9e1f20a4b.s1.eu.hivemq.cloud\" }", "32-hex")]
        [InlineData("{ \"Extra\": { \"Note\": \"aZ3kP9qLm2XvB7nR4tYw8sD1\" } }", "real token")]
        [InlineData("{ \"Ca\": \"-----BEGIN PRIVATE KEY-----\" }", "private key")]
        [InlineData("{ \"WifiSsid\": ", "not valid JSON")]
        public void SettingsExampleCheckReportsRealLookingSecrets(string json, string expected)
        {
            AssertReports(ProjectConsistencyChecker.SettingsExampleProblems(json, "settings.example.json"), expected);
        }
    }
}

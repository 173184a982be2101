using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Firmware.Tests.Rules
{
    /// <summary>Firmware/RUNTIME.md, the native versions the firmware's packages need from the image, against the
    /// packages the firmware really uses and, for mscorlib (the one package restored on this machine, by
    /// Host/IotyDevice.Core.Nano), against the package's own files.</summary>
    public class RuntimeTableTests
    {
        private static string RuntimeMd => File.ReadAllText(Path.Combine(RepoPaths.Firmware, "RUNTIME.md"));

        /// <summary>The table's rows: package → (version, native assembly, native version, checksum).</summary>
        public static Dictionary<string, string[]> Rows(string markdown) =>
            markdown.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("| nanoFramework.", StringComparison.Ordinal))
                .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
                .ToDictionary(c => c[0], c => c.Skip(1).ToArray());

        [Fact]
        public void Every_package_of_packages_config_is_in_the_runtime_table_at_its_version()
        {
            var packages = XDocument.Load(Path.Combine(RepoPaths.Firmware, "packages.config")).Root.Elements("package")
                .ToDictionary(p => (string)p.Attribute("id"), p => (string)p.Attribute("version"));
            var rows = Rows(RuntimeMd);
            Assert.Equal(packages.Keys.Order(), rows.Keys.Order());
            foreach (var package in packages)
                Assert.True(rows[package.Key][0] == package.Value, package.Key + " is " + package.Value + " in packages.config but " + rows[package.Key][0] + " in Firmware/RUNTIME.md");
        }

        [Fact]
        public void The_mscorlib_row_is_what_the_restored_CoreLibrary_package_carries()
        {
            string[] row = Rows(RuntimeMd)["nanoFramework.CoreLibrary"];
            string lib = Path.Combine(NuGetPackages(), "nanoframework.corelibrary", row[0], "lib");
            Assert.True(Directory.Exists(lib), lib + " is missing: build Host/IotyDevice.Core.Nano first (it restores the package)");

            // The nanoFramework PE header keeps the native methods' checksum at 0x14 (what Visual Studio's deploy
            // compares with the image's list, nanoframework/nf-Visual-Studio-extension DeployProvider.cs).
            byte[] pe = File.ReadAllBytes(Path.Combine(lib, "mscorlib.pe"));
            Assert.Equal(row[3], "0x" + BitConverter.ToUInt32(pe, 0x14).ToString("X8"));

            using var reader = new PEReader(File.OpenRead(Path.Combine(lib, "mscorlib.dll")));
            MetadataReader metadata = reader.GetMetadataReader();
            string native = metadata.GetAssemblyDefinition().GetCustomAttributes()
                .Select(metadata.GetCustomAttribute)
                .Where(a => AttributeName(metadata, a) == "AssemblyNativeVersionAttribute")
                .Select(a => Regex.Match(System.Text.Encoding.UTF8.GetString(metadata.GetBlobBytes(a.Value)), @"\d+\.\d+\.\d+\.\d+").Value)
                .Single();
            Assert.Equal(("mscorlib", native), (row[1], row[2]));
        }

        [Fact]
        public void The_README_installs_the_nanoff_version_the_runtime_page_names()
        {
            string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
            Match install = Regex.Match(readme, @"`dotnet tool install -g nanoff --version (2\.\d+\.\d+)`");
            Assert.True(install.Success, "the README does not install a named nanoff 2.x version");
            Assert.Contains("nanoff itself is pinned too (" + install.Groups[1].Value + ",", RuntimeMd);
        }

        private static string AttributeName(MetadataReader metadata, CustomAttribute attribute)
        {
            EntityHandle type = attribute.Constructor.Kind == HandleKind.MemberReference
                ? metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent
                : metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
            return type.Kind == HandleKind.TypeDefinition
                ? metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)type).Name)
                : metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Name);
        }

        private static string NuGetPackages() =>
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
                ? set
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}

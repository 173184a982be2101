using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Firmware.Tests.Rules
{
    /// <summary>
    /// Checks that the device project (Firmware/Firmware.nfproj, which only Visual Studio with the nanoFramework
    /// extension builds) agrees with the tree: its project-system imports, its Compile items, its references
    /// against packages.config, the CoreLibrary version against nfproj.props, the built-in CA against
    /// certs/isrg-root-x1.pem, and that no real settings are committed. Every check takes text, so the tests can
    /// feed it broken input; each returns the problems found (empty when all is well).
    /// </summary>
    public static class ProjectConsistencyChecker
    {
        public const string NanoProjectTypeGuid = "{11A8DD76-328B-46DF-9F39-F559912D0360}";
        public const string CSharpProjectTypeGuid = "{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}";
        public const string CoreLibraryId = "nanoFramework.CoreLibrary";

        /// <summary>SHA-256 of ISRG Root X1 (Let's Encrypt's root), as published by Let's Encrypt.</summary>
        public const string IsrgRootX1Sha256 = "96BCEC06264976F37460779ACF28C5A7CFE8A3C0AAE11A8FFCEE05C0BDDF08C6";

        private static readonly string[] NanoImports =
        {
            "NFProjectSystem.Default.props",
            "NFProjectSystem.props",
            "NFProjectSystem.CSharp.targets",
        };

        public sealed class Package
        {
            public string Id;
            public string Version;
        }

        // ---- XML ------------------------------------------------------------------------------------------

        /// <summary>Parses XML; on failure adds the parser's message (with line and position) and returns null.</summary>
        public static XDocument ParseXml(string name, string xml, List<string> problems)
        {
            try
            {
                return XDocument.Parse(xml, LoadOptions.SetLineInfo);
            }
            catch (XmlException e)
            {
                problems.Add(name + " is not well-formed XML: " + e.Message);
                return null;
            }
        }

        private static IEnumerable<XElement> Elements(XDocument doc, string localName)
        {
            return doc.Descendants().Where(e => e.Name.LocalName == localName);
        }

        private static string Where(XObject node)
        {
            var info = (IXmlLineInfo)node;
            return info.HasLineInfo() ? " (line " + info.LineNumber + ")" : "";
        }

        // ---- Firmware.nfproj: project system -----------------------------------------------------------------

        /// <summary>Well-formed; imports NFProjectSystem.Default.props, .props and .CSharp.targets, each behind an
        /// Exists condition and in that order (as the nanoFramework samples do); the nanoFramework and C#
        /// ProjectTypeGuids.</summary>
        /// <param name="readImport">Reads a project the nfproj imports by a literal path (e.g. ..\nfproj.props),
        /// relative to the nfproj folder; null when it does not exist. Properties may be defined there.</param>
        public static List<string> NfprojProjectSystemProblems(string nfprojXml, Func<string, string> readImport = null)
        {
            var problems = new List<string>();
            var doc = ParseXml("Firmware.nfproj", nfprojXml, problems);
            if (doc == null)
            {
                return problems;
            }
            var imported = new List<XDocument>();
            foreach (var import in Elements(doc, "Import"))
            {
                string project = (string)import.Attribute("Project") ?? "";
                if (project.Contains("$(", StringComparison.Ordinal) || readImport == null)
                {
                    continue;
                }
                string text = readImport(project);
                if (text == null)
                {
                    problems.Add("Firmware.nfproj imports " + project + Where(import) + ", which does not exist");
                    continue;
                }
                var importedDoc = ParseXml(project, text, problems);
                if (importedDoc != null)
                {
                    imported.Add(importedDoc);
                }
            }
            bool pathDefined = new[] { doc }.Concat(imported)
                .Any(d => Elements(d, "NanoFrameworkProjectSystemPath").Any());
            bool pathReported = false;
            if (doc.Root.Name.LocalName != "Project")
            {
                problems.Add("Firmware.nfproj: the root element is <" + doc.Root.Name.LocalName + ">, not <Project>");
            }

            var imports = Elements(doc, "Import").ToList();
            int lastIndex = -1;
            string lastName = null;
            foreach (var name in NanoImports)
            {
                var import = imports.FirstOrDefault(i =>
                    ((string)i.Attribute("Project") ?? "").Replace('/', '\\').EndsWith("\\" + name, StringComparison.OrdinalIgnoreCase)
                    || ((string)i.Attribute("Project") ?? "").EndsWith(")" + name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals((string)i.Attribute("Project"), name, StringComparison.OrdinalIgnoreCase));
                if (import == null)
                {
                    problems.Add("Firmware.nfproj does not import " + name);
                    continue;
                }
                string project = (string)import.Attribute("Project");
                string condition = ((string)import.Attribute("Condition") ?? "").Replace(" ", "");
                if (!condition.Contains("Exists('" + project.Replace(" ", "") + "')", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add("Firmware.nfproj imports " + name + " without Condition=\"Exists('" + project + "')\""
                        + Where(import) + ": without the nanoFramework extension the project must still load");
                }
                int index = imports.IndexOf(import);
                if (index < lastIndex)
                {
                    problems.Add("Firmware.nfproj imports " + name + " before " + lastName + Where(import)
                        + "; the order is Default.props, .props, .CSharp.targets");
                }
                lastIndex = index;
                lastName = name;
                if (project.Contains("$(NanoFrameworkProjectSystemPath)", StringComparison.Ordinal)
                    && !pathDefined && !pathReported)
                {
                    problems.Add("Firmware.nfproj uses $(NanoFrameworkProjectSystemPath) without defining it"
                        + " (nor in a project it imports)");
                    pathReported = true;
                }
            }

            var guids = Elements(doc, "ProjectTypeGuids").Select(e => e.Value).ToList();
            if (guids.Count == 0)
            {
                problems.Add("Firmware.nfproj has no <ProjectTypeGuids>");
            }
            else
            {
                foreach (var guid in new[] { NanoProjectTypeGuid, CSharpProjectTypeGuid })
                {
                    if (!guids.Any(g => g.Contains(guid, StringComparison.OrdinalIgnoreCase)))
                    {
                        problems.Add("Firmware.nfproj <ProjectTypeGuids> lacks " + guid
                            + (guid == NanoProjectTypeGuid ? " (the nanoFramework project flavour)" : " (C#)"));
                    }
                }
            }
            return problems;
        }

        // ---- Firmware.nfproj: Compile items ------------------------------------------------------------------

        /// <summary>Every source (path relative to the nfproj folder) is a Compile item written with backslashes,
        /// and every Compile item names a file that exists. The old-style project system lists files one by
        /// one, so wildcards are refused too.</summary>
        public static List<string> CompileItemProblems(string nfprojXml, IReadOnlyCollection<string> sourcesRelative,
            Func<string, bool> existsRelative)
        {
            var problems = new List<string>();
            var doc = ParseXml("Firmware.nfproj", nfprojXml, problems);
            if (doc == null)
            {
                return problems;
            }

            var items = Elements(doc, "Compile")
                .Where(e => e.Attribute("Include") != null)
                .ToList();
            var included = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                string include = (string)item.Attribute("Include");
                foreach (var part in include.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()))
                {
                    if (part.Contains('*') || part.Contains('?'))
                    {
                        problems.Add("Compile item \"" + part + "\"" + Where(item)
                            + " uses a wildcard; list each file (the nanoFramework project system does)");
                        continue;
                    }
                    if (part.Contains('/'))
                    {
                        problems.Add("Compile item \"" + part + "\"" + Where(item) + " uses '/'; write backslashes: \""
                            + part.Replace('/', '\\') + "\"");
                    }
                    string normal = part.Replace('/', '\\');
                    if (!included.Add(normal))
                    {
                        problems.Add("Compile item \"" + part + "\"" + Where(item) + " is listed twice");
                    }
                    if (!existsRelative(normal))
                    {
                        problems.Add("Compile item \"" + part + "\"" + Where(item) + " names a file that does not exist");
                    }
                }
            }

            foreach (var source in sourcesRelative.OrderBy(s => s, StringComparer.Ordinal))
            {
                string expected = source.Replace('/', '\\');
                if (included.Contains(expected))
                {
                    continue;
                }
                var caseOnly = included.FirstOrDefault(i => string.Equals(i, expected, StringComparison.OrdinalIgnoreCase));
                problems.Add(caseOnly != null
                    ? "Compile item \"" + caseOnly + "\" differs in case from the file " + expected
                    : expected + " is not a Compile item of Firmware.nfproj (add <Compile Include=\"" + expected + "\" />)");
            }
            return problems;
        }

        // ---- packages.config and references -----------------------------------------------------------------

        /// <summary>Well-formed &lt;packages&gt; of &lt;package id version targetFramework="netnano1.0"/&gt;, no id twice.</summary>
        public static List<Package> ParsePackagesConfig(string packagesConfigXml, List<string> problems)
        {
            var packages = new List<Package>();
            var doc = ParseXml("packages.config", packagesConfigXml, problems);
            if (doc == null)
            {
                return null;
            }
            if (doc.Root.Name.LocalName != "packages")
            {
                problems.Add("packages.config: the root element is <" + doc.Root.Name.LocalName + ">, not <packages>");
                return null;
            }
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var element in doc.Root.Elements())
            {
                if (element.Name.LocalName != "package")
                {
                    problems.Add("packages.config: unexpected element <" + element.Name.LocalName + ">" + Where(element));
                    continue;
                }
                string id = ((string)element.Attribute("id") ?? "").Trim();
                string version = ((string)element.Attribute("version") ?? "").Trim();
                string framework = (string)element.Attribute("targetFramework");
                if (id.Length == 0 || version.Length == 0)
                {
                    problems.Add("packages.config: a <package> without id or version" + Where(element));
                    continue;
                }
                if (!Regex.IsMatch(version, @"^\d+(\.\d+){1,3}(-[0-9A-Za-z.\-]+)?$"))
                {
                    problems.Add("packages.config: " + id + " has version \"" + version + "\", not an exact version" + Where(element));
                }
                if (framework != null && framework != "netnano1.0")
                {
                    problems.Add("packages.config: " + id + " has targetFramework=\"" + framework + "\", expected netnano1.0" + Where(element));
                }
                if (!ids.Add(id))
                {
                    problems.Add("packages.config lists " + id + " twice" + Where(element));
                }
                packages.Add(new Package { Id = id, Version = version });
            }
            return packages;
        }

        /// <summary>Every Reference has a HintPath under the packages folder whose "&lt;id&gt;.&lt;version&gt;" folder is
        /// exactly a package in packages.config. <paramref name="packagesFolder"/>, when given, is where NuGet
        /// restores packages.config packages, relative to the nfproj folder (e.g. ..\packages\ when the .sln is
        /// one level up).</summary>
        public static List<string> ReferenceProblems(string nfprojXml, string packagesConfigXml, string packagesFolder)
        {
            var problems = new List<string>();
            var packages = ParsePackagesConfig(packagesConfigXml, problems);
            var doc = ParseXml("Firmware.nfproj", nfprojXml, problems);
            if (doc == null || packages == null)
            {
                return problems;
            }

            var references = Elements(doc, "Reference").ToList();
            if (references.Count == 0)
            {
                problems.Add("Firmware.nfproj has no <Reference> (mscorlib at least comes from " + CoreLibraryId + ")");
            }
            foreach (var reference in references)
            {
                string include = (string)reference.Attribute("Include") ?? "?";
                string assembly = include.Split(',')[0].Trim();
                var hint = reference.Elements().FirstOrDefault(e => e.Name.LocalName == "HintPath");
                if (hint == null || hint.Value.Trim().Length == 0)
                {
                    problems.Add("Reference " + assembly + Where(reference) + " has no HintPath into a packages.config package");
                    continue;
                }
                string path = hint.Value.Trim();
                if (path.Contains('/'))
                {
                    problems.Add("HintPath \"" + path + "\"" + Where(hint) + " uses '/'; write backslashes");
                }
                var segments = path.Split('\\', '/');
                int at = Array.FindIndex(segments, s => s.Equals("packages", StringComparison.OrdinalIgnoreCase));
                if (at < 0 || at + 1 >= segments.Length)
                {
                    problems.Add("HintPath \"" + path + "\"" + Where(hint) + " is not under a packages folder");
                    continue;
                }
                if (packagesFolder != null)
                {
                    string prefix = string.Join("\\", segments.Take(at + 1)) + "\\";
                    if (!string.Equals(prefix, packagesFolder, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add("HintPath \"" + path + "\"" + Where(hint) + " looks in " + prefix
                            + " but NuGet restores packages.config packages to " + packagesFolder + " (the folder next to the .sln)");
                    }
                }
                string folder = segments[at + 1];
                var match = packages.FirstOrDefault(p =>
                    folder.Length == p.Id.Length + 1 + p.Version.Length
                    && folder.StartsWith(p.Id + ".", StringComparison.OrdinalIgnoreCase)
                    && folder.EndsWith("." + p.Version, StringComparison.Ordinal));
                if (match == null)
                {
                    var sameId = packages.FirstOrDefault(p => folder.StartsWith(p.Id + ".", StringComparison.OrdinalIgnoreCase)
                        && Regex.IsMatch(folder.Substring(p.Id.Length + 1), @"^\d"));
                    problems.Add(sameId != null
                        ? "Reference " + assembly + Where(hint) + ": HintPath names " + folder + " but packages.config has "
                            + sameId.Id + " " + sameId.Version
                        : "Reference " + assembly + Where(hint) + ": HintPath names " + folder + ", which is no package in packages.config");
                }
            }
            return problems;
        }

        // ---- CoreLibrary version ----------------------------------------------------------------------------

        /// <summary>nanoFramework.CoreLibrary's version in packages.config equals NanoCoreLibraryVersion in
        /// nfproj.props (which the nano-compat build downloads).</summary>
        public static List<string> CoreLibraryVersionProblems(string packagesConfigXml, string nfprojPropsXml)
        {
            var problems = new List<string>();
            var packages = ParsePackagesConfig(packagesConfigXml, problems);
            var props = ParseXml("nfproj.props", nfprojPropsXml, problems);
            if (packages == null || props == null)
            {
                return problems;
            }
            var core = packages.FirstOrDefault(p => p.Id.Equals(CoreLibraryId, StringComparison.OrdinalIgnoreCase));
            var versions = Elements(props, "NanoCoreLibraryVersion").Select(e => e.Value.Trim()).ToList();
            if (core == null)
            {
                problems.Add("packages.config has no " + CoreLibraryId + " (the device's mscorlib)");
            }
            if (versions.Count == 0)
            {
                problems.Add("nfproj.props defines no <NanoCoreLibraryVersion>");
            }
            else if (versions.Distinct().Count() > 1)
            {
                problems.Add("nfproj.props defines <NanoCoreLibraryVersion> more than once: " + string.Join(", ", versions));
            }
            if (core != null && versions.Count > 0 && versions.Last() != core.Version)
            {
                problems.Add("packages.config has " + CoreLibraryId + " " + core.Version
                    + " but nfproj.props has NanoCoreLibraryVersion " + versions.Last()
                    + ": the nano-compat build would check the core against a different mscorlib than the device gets");
            }
            return problems;
        }

        // ---- built-in CA --------------------------------------------------------------------------------------

        /// <summary>The PEM constant in the firmware source equals the PEM file, ignoring line endings, and is
        /// ISRG Root X1.</summary>
        public static List<string> BuiltInCaProblems(string csharpSource, string pemFile, string sourceName)
        {
            var problems = new List<string>();
            var tree = CSharpSyntaxTree.ParseText(csharpSource, path: sourceName);
            var compilation = CSharpCompilation.Create("CaCheck", new[] { tree }, NanoSourceChecker.HostReferences,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var model = compilation.GetSemanticModel(tree);

            var pems = new List<(string Name, string Value)>();
            foreach (var field in tree.GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>())
            {
                if (!field.Modifiers.Any(SyntaxKind.ConstKeyword))
                {
                    continue;
                }
                foreach (var variable in field.Declaration.Variables)
                {
                    if (variable.Initializer == null)
                    {
                        continue;
                    }
                    var value = model.GetConstantValue(variable.Initializer.Value);
                    if (value.HasValue && value.Value is string text && text.Contains("-----BEGIN CERTIFICATE-----"))
                    {
                        pems.Add((variable.Identifier.Text, text));
                    }
                }
            }
            if (pems.Count != 1)
            {
                problems.Add(sourceName + " should hold exactly one const string with a PEM certificate; found " + pems.Count);
                return problems;
            }

            string inCode = NormalizeLineEndings(pems[0].Value);
            string inFile = NormalizeLineEndings(pemFile);
            if (inCode != inFile)
            {
                var codeLines = inCode.Split('\n');
                var fileLines = inFile.Split('\n');
                int line = 0;
                while (line < codeLines.Length && line < fileLines.Length && codeLines[line] == fileLines[line])
                {
                    line++;
                }
                problems.Add(sourceName + ": " + pems[0].Name + " differs from certs/isrg-root-x1.pem at PEM line " + (line + 1)
                    + ": \"" + (line < codeLines.Length ? codeLines[line] : "<end>") + "\" vs \""
                    + (line < fileLines.Length ? fileLines[line] : "<end>") + "\"");
            }

            try
            {
                using var certificate = X509Certificate2.CreateFromPem(inFile);
                string sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
                if (!string.Equals(sha256, IsrgRootX1Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add("certs/isrg-root-x1.pem is " + certificate.Subject + " (SHA-256 " + sha256 + "), not ISRG Root X1");
                }
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException || e is ArgumentException)
            {
                problems.Add("certs/isrg-root-x1.pem does not parse as a PEM certificate: " + e.Message);
            }
            return problems;
        }

        /// <summary>CRLF and CR become LF; a trailing line end is dropped. Nothing else (not indentation) is
        /// forgiven: a PEM line with leading spaces does not parse on the device.</summary>
        public static string NormalizeLineEndings(string text)
        {
            return text.Replace("\r\n", "\n").Replace('\r', '\n').TrimEnd('\n');
        }

        // ---- secrets ----------------------------------------------------------------------------------------

        /// <summary>No committed settings.json or deploy.json (they hold WiFi and broker credentials).</summary>
        public static List<string> CommittedSecretFileProblems(IEnumerable<string> trackedPaths)
        {
            var problems = new List<string>();
            foreach (var path in trackedPaths)
            {
                string name = Path.GetFileName(path.Replace('\\', '/'));
                if (name.Equals("settings.json", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("deploy.json", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(path + " is committed; it holds real credentials — commit only settings.example.json (git rm --cached it)");
                }
            }
            return problems;
        }

        private static readonly string[] PlaceholderMarkers =
        {
            "your", "example", "changeme", "change-me", "change_me", "placeholder", "xxx", "<", ">", "todo",
            "replace", "...", "\u2026", "***", "here", "secret-goes", "my-", "my_",
        };

        private static readonly Regex CredentialKey = new Regex(
            "(password|passwd|pwd|secret|token|apikey|api_key|privatekey|private_key|username|user$|ssid|psk)",
            RegexOptions.IgnoreCase);

        /// <summary>settings.example.json is valid JSON whose credentials are placeholders: every value under a
        /// credential-like key (password, secret, token, username, ssid...) is empty or visibly a placeholder,
        /// and no value anywhere looks like a real secret (a 32-hex cluster id, a long random token, a key).</summary>
        public static List<string> SettingsExampleProblems(string json, string name)
        {
            var problems = new List<string>();
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(json, new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                });
            }
            catch (JsonException e)
            {
                problems.Add(name + " is not valid JSON: " + e.Message);
                return problems;
            }
            using (doc)
            {
                Walk(doc.RootElement, "", problems, name);
            }
            return problems;
        }

        private static void Walk(JsonElement element, string key, List<string> problems, string name)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, property.Name, problems, name);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, key, problems, name);
                    }
                    break;
                case JsonValueKind.String:
                    CheckValue(key, element.GetString() ?? "", problems, name);
                    break;
            }
        }

        public static bool IsPlaceholder(string value)
        {
            string lower = value.Trim().ToLowerInvariant();
            return lower.Length == 0 || PlaceholderMarkers.Any(m => lower.Contains(m, StringComparison.Ordinal));
        }

        private static void CheckValue(string key, string value, List<string> problems, string name)
        {
            bool placeholder = IsPlaceholder(value);
            if (CredentialKey.IsMatch(key) && !placeholder)
            {
                problems.Add(name + ": \"" + key + "\" is \"" + Mask(value)
                    + "\", which looks real; use a placeholder such as \"YOUR-" + key.ToUpperInvariant() + "\" or \"\"");
                return;
            }
            if (value.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                problems.Add(name + ": \"" + key + "\" holds a private key");
                return;
            }
            if (placeholder)
            {
                return;
            }
            if (Regex.IsMatch(value, "[0-9a-fA-F]{32}"))
            {
                problems.Add(name + ": \"" + key + "\" is \"" + Mask(value)
                    + "\", with a 32-hex-digit id (a real HiveMQ Cloud cluster?); use a placeholder host");
                return;
            }
            foreach (Match word in Regex.Matches(value, @"[A-Za-z0-9+/_\-=]{20,}"))
            {
                string w = word.Value;
                if (Regex.IsMatch(w, "[a-z]") && Regex.IsMatch(w, "[A-Z]") && Regex.IsMatch(w, "[0-9]"))
                {
                    problems.Add(name + ": \"" + key + "\" is \"" + Mask(value) + "\", which looks like a real token or key");
                    return;
                }
            }
        }

        private static string Mask(string value)
        {
            return value.Length <= 4 ? new string('*', value.Length) : value.Substring(0, 2) + "***" + value.Substring(value.Length - 1);
        }
    }
}

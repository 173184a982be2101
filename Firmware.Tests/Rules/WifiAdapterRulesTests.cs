using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace Firmware.Tests.Rules
{
    /// <summary>
    /// The board's WiFi adapter, held to what no host test can run: each WifiAdapter the firmware makes registers in
    /// WifiEventListener's static list for good (System.Device.Wifi 1.5.149), and every WifiNetworkHelper connect
    /// makes one, and ConnectDhcp rewrites the flash configuration. So: WifiAdapter.FindAllAdapters only in a
    /// constructor (one adapter for the life of the firmware: Program.cs makes one WifiNetwork), no
    /// WifiNetworkHelper at all, and SaveConfiguration (the flash write) only in INetwork.Store, which the core calls
    /// only when the stored configuration differs (DeviceWifiTests).
    /// </summary>
    public class WifiAdapterRulesTests
    {
        [Fact]
        public void The_firmware_makes_one_wifi_adapter_uses_no_wifi_helper_and_writes_flash_only_in_store()
        {
            var violations = new List<string>();
            int adapterLookups = 0;
            foreach (string file in RepoPaths.FirmwareSources())
            {
                var found = Check(File.ReadAllText(file));
                adapterLookups += found.AdapterLookups;
                violations.AddRange(found.Violations.Select(v => RepoPaths.Relative(file) + ": " + v));
            }

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
            Assert.Equal(1, adapterLookups);
        }

        [Theory]
        [InlineData("class W { void Join() { var a = System.Device.Wifi.WifiAdapter.FindAllAdapters()[0]; } }", "FindAllAdapters outside a constructor")]
        [InlineData("class W { bool Join() { return nanoFramework.Networking.WifiNetworkHelper.Reconnect(); } }", "WifiNetworkHelper")]
        [InlineData("class W { void Connect(C c) { c.SaveConfiguration(); } }", "SaveConfiguration outside Store")]
        public void Each_rule_can_fail(string source, string expected)
        {
            Assert.Contains(Check(source).Violations, v => v.Contains(expected, StringComparison.Ordinal));
        }

        [Fact]
        public void The_allowed_shape_passes()
        {
            var found = Check("class W { W() { var a = WifiAdapter.FindAllAdapters(); } void Store(C c) { c.SaveConfiguration(); } }");
            Assert.Empty(found.Violations);
            Assert.Equal(1, found.AdapterLookups);
        }

        private static (List<string> Violations, int AdapterLookups) Check(string source)
        {
            var root = CSharpSyntaxTree.ParseText(source).GetRoot();
            var violations = new List<string>();
            int lookups = 0;
            foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                string id = name.Identifier.ValueText;
                int line = name.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                if (id == "WifiNetworkHelper")
                {
                    violations.Add("line " + line + ": WifiNetworkHelper makes a WifiAdapter per call (a heap leak per retry)");
                }
                else if (id == "FindAllAdapters" && name.Parent is MemberAccessExpressionSyntax access && access.Name == name)
                {
                    lookups++;
                    if (name.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() == null)
                        violations.Add("line " + line + ": FindAllAdapters outside a constructor makes an adapter per call");
                }
                else if (id == "SaveConfiguration" && name.Parent is MemberAccessExpressionSyntax
                         && name.FirstAncestorOrSelf<MethodDeclarationSyntax>()?.Identifier.ValueText != "Store")
                {
                    violations.Add("line " + line + ": SaveConfiguration outside Store writes flash the core did not ask for");
                }
            }

            return (violations, lookups);
        }
    }
}

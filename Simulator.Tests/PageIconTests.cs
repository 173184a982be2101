using System.Net;
using System.Text.RegularExpressions;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>The App Builder page has an icon, so opening it leaves no "404 (Not Found)" for favicon.ico in the
/// browser's console.</summary>
public class PageIconTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void The_icon_the_page_links_and_favicon_ico_are_both_served_as_an_image()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"));
        sim.Verify(() =>
        {
            string page = AppBuilderPageTests.PageUrl(sim);
            using var http = new HttpClient { BaseAddress = new Uri(page), Timeout = Long };
            string html = http.GetStringAsync("/").GetAwaiter().GetResult();
            string linked = Regex.Match(html, "<link rel=\"icon\" href=\"([^\"]+)\"").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(linked), "the page links no icon:\n" + html);

            foreach (string path in new[] { linked, "/favicon.ico" })
            {
                using HttpResponseMessage response = http.GetAsync(path).GetAwaiter().GetResult();
                Assert.True(response.StatusCode == HttpStatusCode.OK, path + ": " + (int)response.StatusCode);
                Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
                Assert.StartsWith("<svg ", response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            }
        });
    }
}

using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Sdk;

namespace Simulator.Tests.Infrastructure;

/// <summary>Headless Chromium from Debian (chromium, chromium-driver; scripts/test.sh installs them), driven by
/// Selenium. Never downloads a browser or a driver: both paths are fixed, and a missing one fails the test.</summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    public ChromeDriver Driver { get; }

    public Browser()
    {
        foreach (string path in new[] { ChromiumPath, DriverPath })
        {
            if (!File.Exists(path)) throw new XunitException(path + " is missing: run bash scripts/test.sh (it installs Debian's chromium and chromium-driver)");
        }
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,960", "--no-first-run");
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath), Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, Long);
        Driver.Manage().Timeouts().AsynchronousJavaScript = Long;
    }

    public IWebElement Element(string id) => Driver.FindElement(By.Id(id));

    public string Text(string id) => Element(id).Text;

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds on the page; on timeout the failure names
    /// what was awaited and what the page showed.</summary>
    public void Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (condition()) return;
            }
            catch (WebDriverException)
            {
                // An element being replaced while read: look again.
            }
            if (clock.Elapsed > Long)
                throw new XunitException("Timed out after " + Long.TotalSeconds + " s waiting in the browser for " + what + "\n---- page text:\n" + PageText());
            Thread.Sleep(50);
        }
    }

    public string PageText()
    {
        try
        {
            return Driver.FindElement(By.TagName("body")).Text;
        }
        catch (WebDriverException e)
        {
            return "(unreadable: " + e.Message + ")";
        }
    }

    /// <summary>Saves a PNG of the page in .test-artifacts/simulator-tests/&lt;run&gt;/&lt;test&gt;/ and returns its path.</summary>
    public string Screenshot(string testName, string fileName)
    {
        string path = Path.Combine(IotyDevice.TestKit.Artifacts.LogDirectory(testName), fileName);
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}

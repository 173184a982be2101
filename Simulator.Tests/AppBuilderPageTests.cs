using System.Text;
using System.Text.RegularExpressions;
using MQTTnet;
using IotyDevice.TestKit;
using OpenQA.Selenium;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>The simulator's App Builder page in a real browser (Debian's headless Chromium through Selenium), and
/// its MQTT-over-WebSockets listener from clients that are not the simulator's own: the browser's WebSocket and an
/// MQTTnet client over WebSockets.</summary>
public class AppBuilderPageTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);
    private const string StatusTopic = "240ac412abfe/status";

    [Fact]
    public void Switch_BOOT_and_the_status_lamp_follow_the_board_in_a_real_browser()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"));
        sim.Verify(() =>
        {
            string page = PageUrl(sim);
            sim.WaitForLine("[sim] the device is online; running the script", Long);
            using var browser = new Browser();
            browser.Driver.Navigate().GoToUrl(page);
            browser.Until(() => Lamp(browser) == "online", "the status lamp to show online");
            Assert.Equal("topic1", browser.Element("switch-topic").GetDomProperty("value"));
            Assert.Equal("topic2", browser.Element("display-topic").GetDomProperty("value"));
            Assert.Equal(StatusTopic, browser.Element("status-topic").GetDomProperty("value"));

            browser.Element("switch").Click();
            sim.WaitForLine("Received on topic1: on", Long);
            browser.Until(() => MonitorLines(browser).Contains("Received on topic1: on"), "the page's monitor to show Received on topic1: on");
            Assert.Equal("true", browser.Element("switch").GetDomAttribute("aria-checked"));

            browser.Element("boot").Click();
            sim.WaitForLine("BOOT: sent hello to topic2", Long);
            browser.Until(() => browser.Text("display-value") == "hello", "the Display to show hello");
            Assert.Equal(1, sim.Count("BOOT: sent hello to topic2"));
            browser.Screenshot(nameof(Switch_BOOT_and_the_status_lamp_follow_the_board_in_a_real_browser), "app-builder.png");

            // A board that loses WiFi cannot say goodbye: the broker publishes its will.
            sim.Send("wifi off");
            sim.WaitForLine("[app] " + StatusTopic + ": offline", Long);
            browser.Until(() => Lamp(browser) == "offline" && browser.Text("lamp-text") == "offline", "the status lamp to show offline");
            browser.Screenshot(nameof(Switch_BOOT_and_the_status_lamp_follow_the_board_in_a_real_browser), "app-builder-offline.png");

            sim.Send("wifi on");
            browser.Until(() => Lamp(browser) == "online", "the status lamp to show online again");
            browser.Until(() => MonitorLines(browser).Count(l => l == "MQTT: subscribed to topic1") == 2, "the page's monitor to show the second subscription");
        });
    }

    [Fact]
    public void Payloads_are_shown_as_text_whatever_they_hold_and_topics_are_editable()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", state);
        sim.Verify(() =>
        {
            string page = PageUrl(sim);
            sim.WaitForLine("[sim] the device is online; running the script", Long);
            using var browser = new Browser();
            browser.Driver.Navigate().GoToUrl(page);
            browser.Until(() => Lamp(browser) == "online", "the status lamp to show online");

            // The browser's own WebSocket gets the "mqtt" subprotocol that browser MQTT clients insist on.
            object opened = browser.Driver.ExecuteAsyncScript(
                "const done = arguments[arguments.length - 1]; const ws = new WebSocket(arguments[0], ['mqtt']);"
                + "ws.onopen = () => { done('open: ' + ws.protocol); ws.close(); }; ws.onerror = () => done('error');",
                page.Replace("http://", "ws://") + "mqtt");
            Assert.Equal("open: mqtt", opened);

            using IMqttClient client = WebSocketClient(page, File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim());
            var hellos = new List<string>();
            client.ApplicationMessageReceivedAsync += e =>
            {
                lock (hellos) hellos.Add(e.ApplicationMessage.ConvertPayloadToString());
                return Task.CompletedTask;
            };
            client.SubscribeAsync("topic2").GetAwaiter().GetResult();

            const string injection = "<img src=x onerror=alert(1)>";
            Publish(client, "topic2", Encoding.UTF8.GetBytes(injection));
            browser.Until(() => browser.Text("display-value") == injection, "the Display to show the markup as text");
            Assert.Empty(browser.Driver.FindElements(By.CssSelector("#display-value *")));
            Assert.Contains("&lt;img", (string)browser.Element("display-value").GetDomProperty("innerHTML"));

            // As long as the broker takes (the board's packet limit, 4096 bytes), more than the Display shows.
            Publish(client, "topic2", Encoding.ASCII.GetBytes(new string('A', 4000)));
            browser.Until(() => browser.Text("display-size").StartsWith("4000 bytes, the first 2000 characters shown"), "the Display to show a 4000-byte payload cut");
            Assert.Equal(2000, browser.Text("display-value").Length);
            sim.WaitForLine("[app] topic2: " + new string('A', 200) + "... (4000 bytes)", Long);

            Publish(client, "topic2", new byte[] { (byte)'o', (byte)'k', (byte)' ', 0xFF, 0xFE, (byte)'!' });
            browser.Until(() => browser.Text("display-value") == "ok \uFFFD\uFFFD!", "the Display to show invalid UTF-8 as replacement characters");

            // Topics are editable per widget, as in IoTy.
            IWebElement displayTopic = browser.Element("display-topic");
            displayTopic.Clear();
            displayTopic.SendKeys("lab/display" + Keys.Enter);
            sim.WaitForLine("[app] listening on lab/display", Long);
            Publish(client, "lab/display", Encoding.UTF8.GetBytes("42"));
            browser.Until(() => browser.Text("display-value") == "42", "the Display to show 42 from its new topic");

            browser.Element("boot").Click();
            Until(() => { lock (hellos) return hellos.Contains("hello"); }, "the WebSocket client to receive hello on topic2");
            browser.Screenshot(nameof(Payloads_are_shown_as_text_whatever_they_hold_and_topics_are_editable), "app-builder-payloads.png");
            Assert.Equal(0, sim.Count("the device loop crashed"));
        });
    }

    [Fact]
    public void With_a_settings_file_the_page_drives_that_broker_the_same_way()
    {
        using var broker = new MosquittoBroker(nameof(With_a_settings_file_the_page_drives_that_broker_the_same_way));
        using var dir = new TempDir();
        string settings = broker.WriteDeviceSettings(dir.Path);
        using var sim = SimulatorProcess.Start(dir.Path, "--settings", settings, "--web-port", "0");
        sim.Verify(() =>
        {
            string page = PageUrl(sim);
            Assert.DoesNotContain(sim.Lines, l => l.Contains("ws://", StringComparison.Ordinal)); // no embedded broker, no WebSockets
            sim.WaitForLine("[sim] the device is online; running the script", Long);
            using var browser = new Browser();
            browser.Driver.Navigate().GoToUrl(page);
            browser.Until(() => Lamp(browser) == "online", "the status lamp to show online");
            browser.Element("switch").Click();
            sim.WaitForLine("Received on topic1: on", Long);
            browser.Element("boot").Click();
            browser.Until(() => browser.Text("display-value") == "hello", "the Display to show hello");
            Assert.Contains("as 240ac412abfe", broker.LogText()); // it really was this mosquitto
        }, () => broker.LogText());
    }

    [Fact]
    public void No_web_leaves_the_page_out_and_keeps_websockets_for_the_embedded_broker()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"), "--no-web");
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(0, sim.WaitForExit(Long));
            Assert.Contains(sim.Lines, l => l.StartsWith("[sim] embedded broker: ", StringComparison.Ordinal) && l.Contains("/mqtt (WebSockets", StringComparison.Ordinal));
            Assert.DoesNotContain(sim.Lines, l => l.Contains("App Builder page", StringComparison.Ordinal));
        });
    }

    /// <summary>An MQTTnet client over WebSockets with an empty client ID and a clean session, as browser clients
    /// and mosquitto's tools connect; throws unless the broker accepts it.</summary>
    internal static IMqttClient WebSocketClient(string page, string password)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientFactory().CreateClientOptionsBuilder()
            .WithWebSocketServer(ws => ws.WithUri(page.Replace("http://", "ws://") + "mqtt"))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId("")
            .WithCleanSession(true)
            .WithCredentials("learner", password)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        MqttClientConnectResult result = client.ConnectAsync(options).GetAwaiter().GetResult();
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static void Publish(IMqttClient client, string topic, byte[] payload)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
        Assert.True(client.PublishAsync(message).GetAwaiter().GetResult().IsSuccess);
    }

    internal static string PageUrl(SimulatorProcess sim)
    {
        string line = sim.WaitForLine("[sim] App Builder page: http://localhost:", Long);
        return Regex.Match(line, @"http://localhost:\d+/").Value;
    }

    private static string Lamp(Browser browser) => browser.Element("lamp").GetDomAttribute("data-state");

    private static string[] MonitorLines(Browser browser) =>
        browser.Driver.FindElements(By.CssSelector("#monitor .line")).Select(e => e.Text).ToArray();

    private static void Until(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Long) throw new TimeoutException("Timed out waiting for " + what);
            Thread.Sleep(20);
        }
    }
}

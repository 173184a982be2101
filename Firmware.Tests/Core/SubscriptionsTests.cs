using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

public class SubscriptionsTests
{
    [Fact]
    public void Each_topic_is_reported_when_its_suback_comes_granted_or_refused()
    {
        var mqtt = new FakeMqtt { IsConnected = true, SubscribeGrant = null }; // the test raises the SUBACKs
        var subscriptions = new Subscriptions();
        subscriptions.SetTopics(new[] { "topic1", "topic3" });
        subscriptions.SubscribeAll(mqtt);

        Assert.Equal(new[] { ("topic1", 1), ("topic3", 1) }, mqtt.Subscribes);
        Assert.Null(subscriptions.NextReport(7)); // queued is not subscribed
        subscriptions.OnSubscribed(7, 2, ConnectResult.SubscriptionRefused);
        subscriptions.OnSubscribed(7, 1, 1);
        Assert.StartsWith("MQTT: the broker refused the subscription to topic3 (SUBACK 0x80)", subscriptions.NextReport(7));
        Assert.Equal("MQTT: subscribed to topic1", subscriptions.NextReport(7));
        Assert.Null(subscriptions.NextReport(7));
    }

    [Fact]
    public void A_suback_of_a_connection_left_behind_says_nothing()
    {
        var mqtt = new FakeMqtt { IsConnected = true, SubscribeGrant = null }; // the test raises the SUBACKs
        var subscriptions = new Subscriptions();
        subscriptions.SetTopics(new[] { "topic1" });
        subscriptions.SubscribeAll(mqtt);
        subscriptions.OnSubscribed(6, 1, 1);
        Assert.Null(subscriptions.NextReport(7));
    }

    [Fact]
    public void A_suback_for_an_id_none_of_the_topics_has_is_passed_over()
    {
        var mqtt = new FakeMqtt { IsConnected = true, SubscribeGrant = null }; // the test raises the SUBACKs
        var subscriptions = new Subscriptions();
        subscriptions.SetTopics(new[] { "topic1" });
        subscriptions.SubscribeAll(mqtt);
        subscriptions.OnSubscribed(7, 99, 1); // e.g. of topics the settings re-read has since replaced
        subscriptions.OnSubscribed(7, 1, 1);
        Assert.Equal("MQTT: subscribed to topic1", subscriptions.NextReport(7));
        Assert.Null(subscriptions.NextReport(7));
    }
}

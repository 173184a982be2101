using IotyDevice.Core;
using Xunit;

namespace Firmware.Tests.Core;

public sealed class FailureTextTests
{
    private static string CertificateRefused(string host) =>
        FailureText.ForFault(new MqttTransportException(TransportFault.Certificate, "certificate is not issued for host name " + host, null), host, 8883);

    [Theory]
    [InlineData("192.168.1.20")]
    [InlineData("10.0.0.1")]
    public void A_certificate_refused_for_an_IP_address_says_certificates_name_host_names(string ip)
    {
        Assert.Contains("BrokerHost is an IP address, but broker certificates name host names: use the host name", CertificateRefused(ip));
    }

    [Theory]
    [InlineData("abc123.s1.eu.hivemq.cloud")]
    [InlineData("192.168.1.example")]
    [InlineData("1.2.3")]
    [InlineData("300.1.1.1")]
    public void A_certificate_refused_for_a_host_name_says_nothing_about_IP_addresses(string host)
    {
        Assert.DoesNotContain("IP address", CertificateRefused(host));
    }

    [Theory]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.a")]
    [InlineData("1.2.3.256")]
    public void A_host_that_only_looks_like_four_numbers_is_no_IP_address(string host)
    {
        Assert.DoesNotContain("IP address", CertificateRefused(host));
    }

    [Fact]
    public void The_highest_IP_address_is_still_an_IP_address()
    {
        Assert.Contains("BrokerHost is an IP address", CertificateRefused("255.255.255.255"));
    }

    [Fact]
    public void A_certificate_refused_for_a_host_name_is_the_line_word_for_word()
    {
        Assert.Equal("MQTT: the broker's certificate was not accepted; check CaCertificate matches your broker's CA and BrokerHost matches its certificate (bad chain)",
            FailureText.ForFault(new MqttTransportException(TransportFault.Certificate, "bad chain", null), "broker.example", 8883));
    }

    [Fact]
    public void An_unreachable_broker_names_host_and_port_and_the_settings_to_check()
    {
        Assert.Equal("MQTT: cannot reach broker.example:8883; check BrokerHost, BrokerPort and that the broker is up (connection refused)",
            FailureText.ForFault(new MqttTransportException(TransportFault.Unreachable, "connection refused", null), "broker.example", 8883));
    }

    [Fact]
    public void A_failed_tls_handshake_asks_whether_the_port_speaks_tls()
    {
        Assert.Equal("MQTT: TLS handshake with broker.example:1883 failed; is it an MQTT-over-TLS port (8883)? (alert)",
            FailureText.ForFault(new MqttTransportException(TransportFault.TlsHandshake, "alert", null), "broker.example", 1883));
    }

    [Fact]
    public void A_fault_without_words_adds_no_empty_parentheses()
    {
        Assert.Equal("MQTT: cannot reach broker.example:8883; check BrokerHost, BrokerPort and that the broker is up",
            FailureText.ForFault(new MqttTransportException(TransportFault.Unreachable, "", null), "broker.example", 8883));
    }

    [Fact]
    public void A_broker_without_mqtt_5_is_told_word_for_word()
    {
        Assert.Equal("MQTT: refused: the broker does not speak MQTT 5 (code 1), which the board needs to keep messages within "
                     + MqttLimits.MaxPacketBytes + " bytes; check BrokerHost and BrokerPort, and use an MQTT 5 broker (HiveMQ Cloud, Mosquitto 1.6+)",
            FailureText.ForRefusal(ConnectResult.UnacceptableProtocolVersion));
    }

    [Theory]
    [InlineData(ConnectResult.QuotaExceeded, "MQTT: refused: the broker's connection limit or quota is reached (code 0x97); it will be retried")]
    [InlineData(ConnectResult.ConnectionRateExceeded, "MQTT: refused: the broker's connection limit or quota is reached (code 0x9F); it will be retried")]
    [InlineData(ConnectResult.UseAnotherServer, "MQTT: refused: the broker says to use another server (code 0x9C); check BrokerHost")]
    [InlineData(ConnectResult.ServerMoved, "MQTT: refused: the broker says to use another server (code 0x9D); check BrokerHost")]
    public void A_quota_or_a_move_to_another_server_is_said_word_for_word(int code, string line)
    {
        Assert.Equal(line, FailureText.ForRefusal(code));
    }

    [Fact]
    public void An_unknown_refusal_shows_its_code_in_hex_from_0x80_on_and_in_decimal_below()
    {
        Assert.Equal("MQTT: refused with code 0x80", FailureText.ForRefusal(0x80));
        Assert.Equal("MQTT: refused with code 127", FailureText.ForRefusal(127));
    }
}

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
}

using IotyDevice.Core;
using IotyDevice.Host.Mqtt;
using Xunit;

namespace Broker.Tests.Adapter;

/// <summary>The host's CA loading, by itself (no broker needed).</summary>
public sealed class CaTrustTests
{
    [Fact]
    public void A_CA_file_larger_than_a_CA_can_be_is_refused_with_a_line_naming_it()
    {
        string path = Path.Combine(Artifacts.RunDirectory(nameof(A_CA_file_larger_than_a_CA_can_be_is_refused_with_a_line_naming_it)), "firmware.bin");
        // A real CA first, so only the size can be the reason.
        File.WriteAllText(path, File.ReadAllText(TestPki.Instance.CaPem) + new string('#', CaCertificateFile.MaxBytes));
        var e = Assert.Throws<MqttTransportException>(() => CaTrust.LoadRoots(path));
        Assert.Equal(TransportFault.Certificate, e.Fault);
        Assert.Contains("firmware.bin is 17 KB; a CA certificate is a few KB", e.Message);
    }

    [Fact]
    public void A_CA_file_of_the_largest_allowed_size_is_read()
    {
        string path = Path.Combine(Artifacts.RunDirectory(nameof(A_CA_file_of_the_largest_allowed_size_is_read)), "ca.pem");
        string pem = File.ReadAllText(TestPki.Instance.CaPem);
        File.WriteAllText(path, pem + new string('\n', CaCertificateFile.MaxBytes - pem.Length));
        Assert.Equal(CaCertificateFile.MaxBytes, new FileInfo(path).Length);
        Assert.Single(CaTrust.LoadRoots(path));
    }

    [Fact]
    public void Dev_zero_as_the_CA_file_is_refused_without_reading_it_endlessly()
    {
        var e = Assert.Throws<MqttTransportException>(() => CaTrust.LoadRoots("/dev/zero"));
        Assert.Equal(TransportFault.Certificate, e.Fault);
        Assert.Contains("/dev/zero is not a regular file", e.Message);
    }

    [Fact]
    public void A_fifo_as_the_CA_file_is_refused_at_once_instead_of_blocking_the_loop()
    {
        string dir = Artifacts.RunDirectory(nameof(A_fifo_as_the_CA_file_is_refused_at_once_instead_of_blocking_the_loop));
        string fifo = Path.Combine(dir, "ca.pem");
        File.Delete(fifo);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        // Opening a FIFO for reading waits for a writer; on a worker thread so a regression fails instead of hanging.
        var load = Task.Run(() => Assert.Throws<MqttTransportException>(() => CaTrust.LoadRoots(fifo)));
        Assert.True(load.Wait(TimeSpan.FromSeconds(5)), "LoadRoots blocked on a FIFO");
        Assert.Contains("ca.pem is not a regular file", load.Result.Message);
    }
}

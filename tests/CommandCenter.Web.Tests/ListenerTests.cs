using CommandCenter.DeviceGateway;
using CommandCenter.Web.Accounts;
using Microsoft.Extensions.Configuration;

namespace CommandCenter.Web.Tests;

/// <summary>Which listening settings face the network, as Kestrel and the broker read them.</summary>
public sealed class ListenerTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("http://127.0.0.2:5080/", false)]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://*:5080", true)]
    [InlineData("http://+:5080", true)]
    [InlineData("http://[::]:5080", true)]
    [InlineData("https://192.168.10.4:443", true)]
    [InlineData("http://command-center.city.lan:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", true)]
    public void Urls_beyond_loopback_are_found(string urls, bool exposed)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
        var found = ExposureGuard.ExposedListeners(configuration, new MqttOptions { BindAddress = "127.0.0.1" });
        Assert.Equal(exposed, found.Count > 0);
    }

    [Theory]
    [InlineData("127.0.0.1", true, false)]
    [InlineData("::1", true, false)]
    [InlineData("0.0.0.0", true, true)]
    [InlineData("::", true, true)]
    [InlineData("0.0.0.0", false, false)]
    public void The_embedded_broker_counts_only_when_it_runs(string bindAddress, bool embedded, bool exposed)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:5080" }).Build();
        var found = ExposureGuard.ExposedListeners(configuration, new MqttOptions { BindAddress = bindAddress, EmbeddedBroker = embedded });
        Assert.Equal(exposed, found.Count > 0);
    }

    [Theory]
    [InlineData("127.0.0.1", 2120, false)]
    [InlineData("0.0.0.0", 2120, true)]
    [InlineData("::", 2120, true)]
    [InlineData("0.0.0.0", 0, false)]
    public void The_hj212_listener_counts_only_when_it_has_a_port(string bindAddress, int port, bool exposed)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:5080" }).Build();
        var found = ExposureGuard.ExposedListeners(configuration, new MqttOptions { BindAddress = "127.0.0.1" },
            new CommandCenter.DeviceGateway.Hj212.Hj212Options { BindAddress = bindAddress, Port = port });
        Assert.Equal(exposed, found.Contains($"Hj212:BindAddress {bindAddress}"));
    }

    [Fact]
    public void Ports_without_a_host_listen_everywhere()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["http_ports"] = "8080" }).Build();
        Assert.NotEmpty(ExposureGuard.ExposedListeners(configuration, new MqttOptions { BindAddress = "127.0.0.1" }));
    }
}

/// <summary>Which callers the rate limits count together.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void Ipv6_clients_are_counted_by_their_64_bit_network(string address, string key) =>
        Assert.Equal(key, CommandCenter.DeviceGateway.ClientAddress.KeyOf(System.Net.IPAddress.Parse(address)));
}

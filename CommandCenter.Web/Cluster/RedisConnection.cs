using StackExchange.Redis;

namespace CommandCenter.Web.Cluster;

/// <summary>
/// This node's own connection to the cluster's Redis, for what Orleans' providers do not do themselves: reading every
/// device's state at start-up and keeping the sign-in keys. Orleans' providers keep their own connections, which they
/// close when the silo stops. Connected on first use, so a node starts even while Redis is still coming up.
/// </summary>
public sealed class RedisConnection(string configuration) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => ConnectionMultiplexer.Connect(Options(configuration)));

    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Keep trying while Redis restarts instead of failing the first call after a blip.
        options.AbortOnConnectFail = false;
        return options;
    }

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated) _multiplexer.Value.Dispose();
    }
}

using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Reporting;

namespace CommandCenter.Simulators.Hj212;

/// <summary>
/// One TCP connection per simulated sensor to the command center's HJ 212 listener, as each monitor has its own
/// link. Connected on first use; a failed send drops the link and it is tried again after a pause.
/// </summary>
public sealed class Hj212Links(IOptions<SimulatorOptions> options, SimulatorStats stats, TimeProvider time, ILogger<Hj212Links> logger)
    : IHostedService
{
    private sealed class Link
    {
        public TcpClient? Client;
        public DateTimeOffset RetryAt;
        /// <summary>Had a connection before: the next one is a reconnect.</summary>
        public bool WasConnected;
    }

    private readonly Dictionary<string, Link> _links = [];

    /// <summary>Links open now; read from the scheduler's loop like the rest.</summary>
    public int ConnectedCount => _links.Values.Count(link => link.Client is not null);

    /// <summary>Called only from the scheduler's loop, one send at a time.</summary>
    public async ValueTask SendAsync(string sensorId, byte[] frame, CancellationToken cancellationToken)
    {
        var settings = options.Value.Hj212;
        if (!_links.TryGetValue(sensorId, out var link)) _links[sensorId] = link = new Link();
        try
        {
            if (link.Client is null)
            {
                if (time.GetUtcNow() < link.RetryAt)
                {
                    stats.RecordUnsent();
                    return;
                }
                var client = new TcpClient { NoDelay = true };
                try { await client.ConnectAsync(settings.Host, settings.Port, cancellationToken); }
                catch { client.Dispose(); throw; }
                stats.RecordConnected(again: link.WasConnected);
                link.Client = client;
                link.WasConnected = true;
            }
            await link.Client.GetStream().WriteAsync(frame, cancellationToken);
            stats.RecordSent();
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            logger.LogDebug("HJ 212 link of {Sensor} failed: {Reason}", sensorId, e.Message);
            link.Client?.Dispose();
            link.Client = null;
            link.RetryAt = time.GetUtcNow() + settings.ReconnectDelay;
            stats.RecordUnsent();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var link in _links.Values) link.Client?.Dispose();
        return Task.CompletedTask;
    }
}

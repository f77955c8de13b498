using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// Listens for HJ 212-2017 monitors on <see cref="Hj212Options.Port"/> (none when unset) and serves each connection
/// on its own task, at most <see cref="Hj212Options.MaxConnections"/> at once.
/// </summary>
public sealed class Hj212Listener(
    IOptions<Hj212Options> options, Hj212Ingest ingest, GatewayStats stats, TimeProvider clock, ILogger<Hj212Listener> logger) : BackgroundService
{
    private int _connections;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (settings.Port is not (> 0 and var port)) return;
        var listener = new TcpListener(IPAddress.Parse(settings.BindAddress), port);
        listener.Start();
        logger.LogInformation("HJ 212 listener on {Address}:{Port}", settings.BindAddress, port);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stopping);
                if (Interlocked.Increment(ref _connections) > settings.MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    client.Dispose();
                    continue;
                }
                _ = Serve(client, settings, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        finally
        {
            listener.Stop();
        }
    }

    private async Task Serve(TcpClient client, Hj212Options settings, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            using (client)
            {
                client.NoDelay = true;
                var peer = client.Client.RemoteEndPoint?.ToString() ?? "?";
                await using var stream = client.GetStream();
                var address = (client.Client.RemoteEndPoint as System.Net.IPEndPoint)?.Address;
                await new Hj212Connection(stream, peer, address, ingest, stats, settings, clock).Serve(stopping);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "HJ 212 connection ended");
        }
        catch (OperationCanceledException) { }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }
}

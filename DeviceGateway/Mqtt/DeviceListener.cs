using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// The broker's TCP listener. MQTTnet's own listener opens an IPv6 socket on every address besides
/// the IPv4 one it is given and reads packets of any size; this one listens on exactly the configured
/// address and puts a <see cref="PacketSizeGuard"/> in front of every connection. With a certificate it
/// speaks TLS (MQTT over TLS, usually port 8883) and the guard reads the decrypted packets.
/// </summary>
public sealed class DeviceListener(IPAddress address, int port, int maxPacketBytes, Action<EndPoint?, int> oversized, ILogger logger,
    X509Certificate2? certificate = null)
    : IMqttServerAdapter
{
    /// <summary>A client that opens a connection and never finishes the TLS handshake holds nothing for longer than this.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // Linux lets an IPv6 socket on :: take IPv4 too unless told otherwise; "::" means IPv6 here.
        if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
        socket.Bind(new IPEndPoint(address, port));
        socket.Listen(100);
        _socket = socket;
        _ = Task.Run(() => Accept(socket, options, mqttLogger));
        return Task.CompletedTask;
    }

    private async Task Accept(Socket socket, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested) { return; }
            catch (SocketException e)
            {
                // Out of descriptors and the like: go on accepting once it has passed.
                logger.LogWarning("Accepting an MQTT connection failed: {Error}", e.SocketErrorCode);
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            _ = Task.Run(() => Serve(client, options, mqttLogger));
        }
    }

    private async Task Serve(Socket client, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var remote = client.RemoteEndPoint;
        try
        {
            client.NoDelay = true;
            Stream transport = new NetworkStream(client, ownsSocket: true);
            if (certificate is not null)
            {
                var tls = new SslStream(transport, leaveInnerStreamOpen: false);
                transport = tls;
                using var handshake = new CancellationTokenSource(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, handshake.Token);
            }
            await using var stream = new PacketSizeGuard(new ReadAheadStream(transport), maxPacketBytes, length => oversized(remote, length));
            var channel = new MqttTcpChannel(stream, client.LocalEndPoint, remote, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
            using var adapter = new ClientIdAssigningAdapter(new MqttChannelAdapter(channel, formatter, mqttLogger));
            if (ClientHandler is { } handler) await handler(adapter);
        }
        catch (Exception e)
        {
            // One connection's failure is that connection's end, never the listener's.
            logger.LogDebug(e, "MQTT connection from {Remote} ended with an error", remote);
        }
        finally
        {
            client.Dispose();
        }
    }

    public Task StopAsync()
    {
        _stopping.Cancel();
        _socket?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _socket?.Dispose();
        _stopping.Dispose();
    }
}

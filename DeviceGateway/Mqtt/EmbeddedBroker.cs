using System.Net;
using CommandCenter.DeviceGateway.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>The MQTT broker inside the command center; every publish on it passes the device router.</summary>
public sealed class EmbeddedBroker(
    IOptions<MqttOptions> options,
    IOptions<GatewayOptions> gateway,
    DeviceMessageRouter router,
    GatewayStats stats,
    ILogger<EmbeddedBroker> logger) : IHostedService
{
    private MqttServer? _server;
    private PendingBytes? _pending;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = IPAddress.Parse(settings.BindAddress);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient)
            .Build();
        var listener = new DeviceListener(address, settings.Port, gateway.Value.MaxPayloadBytes, Oversized, logger);
        _pending = new PendingBytes(settings.MaxPendingBytesPerClient);
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [listener]);
        _server.ValidatingConnectionAsync += AssignMissingClientId;
        _server.InterceptingPublishAsync += OnPublish;
        _server.InterceptingClientEnqueueAsync += OnEnqueue;
        _server.InterceptingOutboundPacketAsync += OnOutbound;
        _server.QueuedApplicationMessageOverwrittenAsync += OnOverwritten;
        _server.ClientDisconnectedAsync += OnDisconnected;
        await _server.StartAsync();
        logger.LogInformation("MQTT broker listening on {Endpoint}", new IPEndPoint(address, settings.Port));
    }

    /// <summary>MQTT lets a client connect without an id and have the broker choose one (mosquitto_pub does).</summary>
    private static Task AssignMissingClientId(ValidatingConnectionEventArgs args)
    {
        if (string.IsNullOrEmpty(args.ClientId)) args.AssignedClientIdentifier = $"anonymous-{Guid.NewGuid():N}";
        return Task.CompletedTask;
    }

    private void Oversized(EndPoint? remote, int length) =>
        stats.Rejected(remote?.ToString() ?? "unknown", "(packet not read)", new RejectedMessageException(RejectReason.Oversized,
            $"MQTT packet of at least {length} bytes is over Gateway:MaxPayloadBytes {gateway.Value.MaxPayloadBytes}; connection closed"));

    private async Task OnPublish(InterceptingPublishEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (message.Retain)
        {
            // A retained message is kept and replayed to every new subscriber; a device has nothing to keep
            // there (a last will saying "offline" is often sent retained: it is still taken, just not kept).
            message.Retain = false;
            stats.RetainIgnored();
        }
        try
        {
            var acknowledged = message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce;
            args.ProcessPublish = await router.Route(args.ClientId, message.Topic, message.Payload, acknowledged);
        }
        catch (Exception)
        {
            // Already counted and logged; refusing the publish tells a QoS 1 device to send it again.
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
        }
    }

    private Task OnEnqueue(InterceptingClientApplicationMessageEnqueueEventArgs args)
    {
        if (!_pending!.TryEnqueue(args.ReceiverClientId, args.ApplicationMessage.Payload.Length))
        {
            args.AcceptEnqueue = false;
            stats.QueueDropped();
        }
        return Task.CompletedTask;
    }

    private Task OnOutbound(InterceptingPacketEventArgs args)
    {
        if (args.Packet is MqttPublishPacket publish) _pending!.Dequeued(args.ClientId, publish.Payload.Length);
        return Task.CompletedTask;
    }

    private Task OnOverwritten(QueueMessageOverwrittenEventArgs args)
    {
        if (args.Packet is MqttPublishPacket publish) _pending!.Dequeued(args.ReceiverClientId, publish.Payload.Length);
        return Task.CompletedTask;
    }

    private Task OnDisconnected(ClientDisconnectedEventArgs args)
    {
        // Sessions are not persistent: the queue goes with the connection.
        _pending!.Forget(args.ClientId);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync();
        _server.Dispose();
    }
}

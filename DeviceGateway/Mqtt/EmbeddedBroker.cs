using System.Net;
using System.Security.Cryptography.X509Certificates;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using MQTTnet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// The MQTT broker inside the command center. A client connects as a registered device (user name = device
/// id, password = its secret) or as a trusted gateway user; every publish and subscription passes the device's
/// ACL, and every publish the device router.
/// </summary>
public sealed class EmbeddedBroker(
    IOptions<MqttOptions> options,
    IOptions<GatewayOptions> gateway,
    DeviceMessageRouter router,
    DeviceRegistry registry,
    Commands.DeviceCommands commands,
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
        IMqttServerAdapter[] listeners = settings.TlsPort is { } tlsPort
            ? [listener, new DeviceListener(address, tlsPort, gateway.Value.MaxPayloadBytes, Oversized, logger, LoadCertificate(settings))]
            : [listener];
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, listeners);
        _server.ValidatingConnectionAsync += OnConnecting;
        _server.InterceptingPublishAsync += OnPublish;
        _server.InterceptingSubscriptionAsync += OnSubscribing;
        _server.InterceptingClientEnqueueAsync += OnEnqueue;
        _server.InterceptingOutboundPacketAsync += OnOutbound;
        _server.QueuedApplicationMessageOverwrittenAsync += OnOverwritten;
        _server.ClientDisconnectedAsync += OnDisconnected;
        registry.CredentialsRevoked += OnCredentialsRevoked;
        await _server.StartAsync();
        commands.Publisher = PublishCommand;
        logger.LogInformation("MQTT broker listening on {Endpoint}", new IPEndPoint(address, settings.Port));
        if (settings.TlsPort is { } port) logger.LogInformation("MQTT over TLS listening on {Endpoint}", new IPEndPoint(address, port));
        if (settings.AllowAnonymous)
            logger.LogWarning("Mqtt:AllowAnonymous is on: clients without credentials may connect and publish for any device. For labs only.");
    }

    private static X509Certificate2 LoadCertificate(MqttOptions settings) =>
        settings.TlsKey.Length > 0
            ? X509Certificate2.CreateFromPemFile(settings.TlsCertificate, settings.TlsKey)
            : X509CertificateLoader.LoadPkcs12FromFile(settings.TlsCertificate, settings.TlsCertificatePassword);

    private Task OnConnecting(ValidatingConnectionEventArgs args)
    {
        // MQTT lets a client connect without an id and have the broker choose one (MQTT 5 here; 3.1.1 in DeviceListener).
        if (string.IsNullOrEmpty(args.ClientId)) args.AssignedClientIdentifier = $"auto-{Guid.NewGuid():N}";
        var settings = options.Value;
        if (string.IsNullOrEmpty(args.UserName))
        {
            if (settings.AllowAnonymous) return Task.CompletedTask;
            return Refuse(args, MqttConnectReasonCode.NotAuthorized, "connected without a user name (the device id) and password");
        }
        var presented = args.Password;
        if (settings.GatewayUsers.TryGetValue(args.UserName, out var userSecret))
        {
            if (!FixedTimeEquals(userSecret, presented)) return Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "wrong password for a gateway user");
            args.SessionItems[MqttIdentity.SessionItem] = new GatewayUserIdentity(args.UserName);
            return Task.CompletedTask;
        }
        if (registry.Authenticate(args.UserName, presented) is not { } device)
            return Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "unknown device, a device without a secret, or a wrong secret");
        args.SessionItems[MqttIdentity.SessionItem] = new DeviceIdentity(device.Kind, device.Id);
        return Task.CompletedTask;
    }

    private Task Refuse(ValidatingConnectionEventArgs args, MqttConnectReasonCode code, string why)
    {
        args.ReasonCode = code;
        stats.Rejected(Describe(args.ClientId, args.UserName), "(connect)", new RejectedMessageException(RejectReason.Auth, $"connection refused: {why}"));
        return Task.CompletedTask;
    }

    private static string Describe(string? clientId, string? userName) =>
        string.IsNullOrEmpty(userName) ? clientId ?? "" : $"{clientId} (user {userName})";

    private static bool FixedTimeEquals(string expected, string presented) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(presented));

    /// <summary>The identity of a connection; null only for anonymous clients while <see cref="MqttOptions.AllowAnonymous"/> is on.</summary>
    private static MqttIdentity? IdentityOf(System.Collections.IDictionary items) => items[MqttIdentity.SessionItem] as MqttIdentity;

    private Task OnSubscribing(InterceptingSubscriptionEventArgs args)
    {
        var identity = IdentityOf(args.SessionItems);
        if (identity is null && options.Value.AllowAnonymous) return Task.CompletedTask;
        var filter = args.TopicFilter.Topic;
        if (identity is not null && DeviceAcl.MaySubscribe(identity, filter)) return Task.CompletedTask;
        // MQTT 5 gets 0x87; MQTTnet answers a 3.1.1 client with SUBACK 0x80 for any refusal.
        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        stats.Rejected(Describe(args.ClientId, args.UserName), filter,
            new RejectedMessageException(RejectReason.Acl, "subscription outside the device's own command topic refused"));
        return Task.CompletedTask;
    }

    /// <summary>Drops every connection of a device whose secret changed or that was retired.</summary>
    private Task OnCredentialsRevoked(DeviceRecord device) => Disconnect(device.Id);

    /// <summary>Closes every connection authenticated as <paramref name="deviceId"/>; returns how many were closed.</summary>
    public async Task<int> Disconnect(string deviceId)
    {
        if (_server is null) return 0;
        var dropped = 0;
        foreach (var client in await _server.GetClientsAsync())
        {
            if (client.Session?.Items is not { } items || IdentityOf(items) is not DeviceIdentity { } device || device.Id != deviceId) continue;
            try
            {
                await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
                dropped++;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Dropping the connection of device {Device} failed; it may have gone already", LogText.Safe(deviceId));
            }
        }
        if (dropped > 0) logger.LogInformation("Dropped {Count} connection(s) of device {Device}: its credentials were revoked", dropped, LogText.Safe(deviceId));
        return dropped;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, object> CommandCenterSession =
        new() { [MqttIdentity.SessionItem] = new CommandCenterIdentity() };

    private Task PublishCommand(string topic, byte[] payload) =>
        _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())
        {
            SenderClientId = "command-center",
            CustomSessionItems = CommandCenterSession,
        });

    private void Oversized(EndPoint? remote, int length) =>
        stats.Rejected(remote?.ToString() ?? "unknown", "(packet not read)", new RejectedMessageException(RejectReason.Oversized,
            $"MQTT packet of at least {length} bytes is over Gateway:MaxPayloadBytes {gateway.Value.MaxPayloadBytes}; connection closed"));

    private async Task OnPublish(InterceptingPublishEventArgs args)
    {
        var message = args.ApplicationMessage;
        var identity = IdentityOf(args.SessionItems);
        // Commands the command center sends pass straight to the device's subscription.
        if (identity is CommandCenterIdentity) return;
        if (!(identity is null && options.Value.AllowAnonymous) && (identity is null || !DeviceAcl.MayPublish(identity, message.Topic)))
        {
            // MQTT 5 gets PUBACK 0x87; a 3.1.1 client's message is dropped (that protocol has no way to say no).
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            stats.Rejected(Describe(args.ClientId, args.UserName), message.Topic,
                new RejectedMessageException(RejectReason.Acl, "publish outside the device's own topics refused"));
            return;
        }
        if (IsAcknowledgement(message.Topic, out var kind, out var deviceId))
        {
            await commands.Acknowledge(args.ClientId, kind, deviceId, message.Payload, message.Topic);
            args.ProcessPublish = false;
            return;
        }
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

    /// <summary><c>cc/{kind}/{id}/cmd/ack</c>: a device answering a command.</summary>
    private static bool IsAcknowledgement(string topic, out DeviceKind kind, out string deviceId)
    {
        var parts = topic.Split('/');
        deviceId = parts.Length == 5 ? parts[2] : "";
        kind = default;
        return parts.Length == 5 && parts[0] == DeviceMessageParser.TopicPrefix && parts[3] == DeviceAcl.CommandChannel && parts[4] == "ack"
            && DeviceKinds.TryParse(parts[1], out kind) && DeviceRegistry.IsValidId(deviceId);
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
        registry.CredentialsRevoked -= OnCredentialsRevoked;
        if (_server is null) return;
        await _server.StopAsync();
        _server.Dispose();
    }
}

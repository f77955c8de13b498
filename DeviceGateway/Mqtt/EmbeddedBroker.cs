using System.Net;
using System.Security.Cryptography.X509Certificates;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using MQTTnet;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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
    DeviceSignIn signIn,
    Commands.DeviceCommands commands,
    GatewayStats stats,
    TimeProvider time,
    ILogger<EmbeddedBroker> logger) : IHostedService, IHealthCheck
{
    /// <summary>QoS 2 messages a client may have awaiting their PUBREL; MQTT clients hold far fewer in flight.</summary>
    private const int MaxAwaitingReleasePerClient = 1024;

    private MqttServer? _server;
    private PendingBytes? _pending;
    private KeptSessions? _sessions;
    private readonly ExactlyOnce _exactlyOnce = new(MaxAwaitingReleasePerClient);

    /// <summary>
    /// Sessions subscribed to more than a device's own command topic (bridges, anonymous lab clients), which device
    /// messages may reach. While there are none, a device message is not offered to the broker's subscriptions: MQTTnet
    /// would check every connected session's for each message, a cost that grows with the fleet.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _listeners = new(StringComparer.Ordinal);
    private ITimer? _sweep;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = IPAddress.Parse(settings.BindAddress);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient)
            .WithPersistentSessions()
            .Build();
        var listener = new DeviceListener(address, settings.Port, gateway.Value.MaxPayloadBytes, Oversized, logger);
        _pending = new PendingBytes(settings.MaxPendingBytesPerClient);
        _sessions = new KeptSessions(settings.MaxKeptSessions, time);
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
        _server.InterceptingInboundPacketAsync += OnInbound;
        _server.SessionDeletedAsync += OnSessionDeleted;
        registry.CredentialsRevoked += OnCredentialsRevoked;
        await _server.StartAsync();
        var sweepEvery = TimeSpan.FromTicks(Math.Clamp(settings.MaxSessionExpiry.Ticks / 4, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));
        _sweep = time.CreateTimer(_ => _ = SweepExpired(), null, sweepEvery, sweepEvery);
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

    private async Task OnConnecting(ValidatingConnectionEventArgs args)
    {
        // MQTT lets a client connect without an id and have the broker choose one (MQTT 5 here; 3.1.1 in DeviceListener).
        if (string.IsNullOrEmpty(args.ClientId)) args.AssignedClientIdentifier = $"auto-{Guid.NewGuid():N}";
        if (await Authenticate(args) is not { } identity) return;
        await TakeSession(args, identity.Identity);
    }

    /// <summary>Who connects; null when the connection is refused (the reason is set and counted).</summary>
    private async Task<Authenticated?> Authenticate(ValidatingConnectionEventArgs args)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(args.UserName))
        {
            if (settings.AllowAnonymous) return new Authenticated(null);
            return Refuse(args, MqttConnectReasonCode.NotAuthorized, "connected without a user name (the device id) and password");
        }
        var presented = args.Password;
        if (settings.GatewayUsers.TryGetValue(args.UserName, out var userSecret))
        {
            if (!FixedTimeEquals(userSecret, presented)) return Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "wrong password for a gateway user");
            return Identify(args, new GatewayUserIdentity(args.UserName));
        }
        var result = await signIn.SignIn(args.UserName, presented, (args.RemoteEndPoint as IPEndPoint)?.Address);
        if (result.Device is not { } device)
        {
            var v5 = args.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500;
            return Refuse(args, result.Refusal switch
            {
                // MQTT 5 has a code for each; 3.1.1 has only "server unavailable" (MQTTnet would send a 3.1.1 client
                // "unacceptable protocol version" for the MQTT 5 codes).
                SignInRefusal.Limited => v5 ? MqttConnectReasonCode.ConnectionRateExceeded : MqttConnectReasonCode.ServerUnavailable,
                SignInRefusal.Busy => v5 ? MqttConnectReasonCode.ServerBusy : MqttConnectReasonCode.ServerUnavailable,
                _ => MqttConnectReasonCode.BadUserNameOrPassword,
            }, result.Detail!);
        }
        return Identify(args, new DeviceIdentity(device.Kind, device.Id));
    }

    private sealed record Authenticated(MqttIdentity? Identity);

    private static Authenticated Identify(ValidatingConnectionEventArgs args, MqttIdentity identity)
    {
        args.SessionItems[MqttIdentity.SessionItem] = identity;
        args.SessionItems[DeferredAcks.SessionItem] = new DeferredAcks();
        return new Authenticated(identity);
    }

    /// <summary>
    /// Settles which session the connection gets before the broker hands one out. A kept session is resumed only by
    /// the identity that made it (a resumed session keeps its first connection's identity, so another device must
    /// not inherit it) and only within its expiry; otherwise it is deleted first and the client starts afresh.
    /// </summary>
    private async Task TakeSession(ValidatingConnectionEventArgs args, MqttIdentity? identity)
    {
        var clientId = string.IsNullOrEmpty(args.ClientId) ? args.AssignedClientIdentifier : args.ClientId;
        var resumes = args.CleanSession == false;
        if (resumes && (_sessions!.BelongsToOther(clientId, identity) || _sessions.HasExpired(clientId)))
        {
            _sessions.Deleted(clientId);
            await DeleteSessions(id => id == clientId);
        }
        if (!resumes) _exactlyOnce.Forget(clientId); // a clean start drops the old session's state with it
        var maxExpiry = options.Value.MaxSessionExpiry;
        TimeSpan? expiry = args.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500
            ? args.SessionExpiryInterval == 0 ? null : TimeSpan.FromSeconds(Math.Min(args.SessionExpiryInterval, maxExpiry.TotalSeconds))
            : resumes ? maxExpiry : null;
        _sessions!.Connected(clientId, identity, expiry);
    }

    private Authenticated? Refuse(ValidatingConnectionEventArgs args, MqttConnectReasonCode code, string why)
    {
        args.ReasonCode = code;
        stats.Rejected(Describe(args.ClientId, args.UserName), "(connect)", new RejectedMessageException(RejectReason.Auth, $"connection refused: {why}"));
        return null;
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
        if (identity is null && options.Value.AllowAnonymous)
        {
            _listeners[args.ClientId] = 0;
            return Task.CompletedTask;
        }
        var filter = args.TopicFilter.Topic;
        if (identity is not null && DeviceAcl.MaySubscribe(identity, filter))
        {
            if (identity is not DeviceIdentity) _listeners[args.ClientId] = 0;
            return Task.CompletedTask;
        }
        // MQTT 5 gets 0x87; MQTTnet answers a 3.1.1 client with SUBACK 0x80 for any refusal.
        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        stats.Rejected(Describe(args.ClientId, args.UserName), filter,
            new RejectedMessageException(RejectReason.Acl, "subscription outside the device's own command topic refused"));
        return Task.CompletedTask;
    }

    /// <summary>Drops every connection and every kept session of a device whose secret changed or that was retired.</summary>
    private async Task OnCredentialsRevoked(DeviceRecord device)
    {
        await Disconnect(device.Id);
        await DeleteSessions(_ => true, identity => identity is DeviceIdentity { } owner && owner.Id == device.Id);
    }

    /// <summary>Deletes the broker's sessions whose client id (and owner) match, connected or not; returns how many went.</summary>
    private async Task<int> DeleteSessions(Func<string, bool> clientId, Func<MqttIdentity?, bool>? owner = null)
    {
        if (_server is null) return 0;
        var deleted = 0;
        foreach (var session in await _server.GetSessionsAsync())
        {
            if (!clientId(session.Id) || owner is not null && !owner(IdentityOf(session.Items))) continue;
            try
            {
                await session.DeleteAsync();
                deleted++;
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Deleting the session of client {Client} failed; it may have gone already", LogText.Safe(session.Id));
            }
        }
        return deleted;
    }

    /// <summary>Deletes the disconnected sessions past their expiry (timer callback: never throws).</summary>
    private async Task SweepExpired()
    {
        try
        {
            var expired = _sessions!.TakeExpired();
            if (expired.Count == 0) return;
            var ids = expired.ToHashSet(StringComparer.Ordinal);
            var deleted = await DeleteSessions(ids.Contains);
            logger.LogDebug("Deleted {Count} MQTT session(s) past their expiry", deleted);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Deleting expired MQTT sessions failed; the next sweep tries again");
        }
    }

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
        var packetId = DeferredAcks.Of(args.SessionItems)?.TakeReceiving() ?? -1;
        if (Qos2Receipts.Take(message) is { } receipt)
        {
            if (receipt.Duplicate)
            {
                // Already handled and answered; PUBREC goes out again, nothing else happens.
                args.ProcessPublish = false;
                return;
            }
            await Handle(args, identity, -1);
            // An exchange that ended in an error frees the identifier: a new publish under it is a new message.
            if (args.Response.ReasonCode >= MqttPubAckReasonCode.UnspecifiedError) _exactlyOnce.Released(args.ClientId, receipt.PacketId);
            return;
        }
        await Handle(args, identity, packetId);
    }

    /// <param name="packetId">The QoS 1 packet identifier of the publish, whose PUBACK may wait for its grain; otherwise -1.</param>
    private async Task Handle(InterceptingPublishEventArgs args, MqttIdentity? identity, int packetId)
    {
        var message = args.ApplicationMessage;
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
        if (message.Retain && message.Payload.IsEmpty)
        {
            // MQTT's way to clear a retained message (a will on `status`, say). Nothing from devices is retained,
            // so there is nothing to clear; it is no reading either.
            args.ProcessPublish = false;
            stats.RetainIgnored();
            return;
        }
        if (message.Retain)
        {
            // A retained message is kept and replayed to every new subscriber; a device has nothing to keep
            // there (a last will saying "offline" is often sent retained: it is still taken, just not kept).
            message.Retain = false;
            stats.RetainIgnored();
        }
        var acks = DeferredAcks.Of(args.SessionItems);
        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtLeastOnce && packetId >= 0 && IsTelemetry(message.Topic))
        {
            await Defer(args, acks!, (ushort)packetId);
            return;
        }
        // Status, events and unit moves change alerts and tasks: they wait for the telemetry before them, then go
        // one at a time, so none overtakes another message of its connection.
        if (acks is not null) await acks.Drained();
        try
        {
            var acknowledged = message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce;
            args.ProcessPublish = await router.Route(args.ClientId, message.Topic, message.Payload, acknowledged) && HasListeners;
        }
        catch (Exception)
        {
            // Already counted and logged; refusing the publish tells a QoS 1 device to send it again.
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
        }
    }

    /// <summary>
    /// Starts a QoS 1 reading on its way and lets the connection read on; its PUBACK waits in <see cref="OnOutbound"/>
    /// until the grain has it. A rejection is known at once and answered as before.
    /// </summary>
    private async Task Defer(InterceptingPublishEventArgs args, DeferredAcks acks, ushort packetId)
    {
        await acks.WaitForRoom();
        var message = args.ApplicationMessage;
        var delivery = router.Route(args.ClientId, message.Topic, message.Payload, acknowledged: true);
        if (!delivery.IsCompleted)
        {
            acks.Defer(packetId, delivery.AsTask());
            args.ProcessPublish = HasListeners;
            return;
        }
        acks.Done();
        try
        {
            args.ProcessPublish = await delivery && HasListeners;
        }
        catch (Exception)
        {
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
        }
    }

    /// <summary>The PUBACK of a deferred reading goes out once its grain has it; a failed delivery is refused (MQTT 5).</summary>
    private static async Task ReleaseAck(MqttPubAckPacket pubAck, Task<bool> delivery)
    {
        try
        {
            await delivery;
        }
        catch (Exception)
        {
            // Already counted and logged by the router; the device sends it again.
            pubAck.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
        }
    }

    /// <summary>Whether a device message taken by the router goes on to the broker's subscribers; a message not offered
    /// is acknowledged with success (MQTT 5: 0x00 rather than "no matching subscribers").</summary>
    private bool HasListeners => !_listeners.IsEmpty;

    private static bool IsTelemetry(string topic) => topic.EndsWith("/telemetry", StringComparison.Ordinal);

    /// <summary><c>cc/{kind}/{id}/cmd/ack</c>: a device answering a command.</summary>
    private static bool IsAcknowledgement(string topic, out DeviceKind kind, out string deviceId) =>
        Commands.DeviceCommands.IsAcknowledgement(topic, out kind, out deviceId);

    private Task OnEnqueue(InterceptingClientApplicationMessageEnqueueEventArgs args)
    {
        if (!_pending!.TryEnqueue(args.ReceiverClientId, args.ApplicationMessage.Payload.Length))
        {
            args.AcceptEnqueue = false;
            stats.QueueDropped();
        }
        return Task.CompletedTask;
    }

    /// <summary>Follows QoS 2 exchanges from clients: marks a publish as new or as a re-sent one, and frees its identifier at PUBREL.</summary>
    private Task OnInbound(InterceptingPacketEventArgs args)
    {
        switch (args.Packet)
        {
            case MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtLeastOnce } publish:
                DeferredAcks.Of(args.SessionItems)?.Receiving(publish.PacketIdentifier);
                break;
            case MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.ExactlyOnce } publish:
                Qos2Receipts.Attach(publish, new Qos2Receipt(publish.PacketIdentifier, !_exactlyOnce.Received(args.ClientId, publish.PacketIdentifier)));
                break;
            case MqttPubRelPacket release:
                _exactlyOnce.Released(args.ClientId, release.PacketIdentifier);
                break;
        }
        return Task.CompletedTask;
    }

    private Task OnOutbound(InterceptingPacketEventArgs args)
    {
        switch (args.Packet)
        {
            case MqttPubAckPacket pubAck when DeferredAcks.Of(args.SessionItems)?.Take(pubAck.PacketIdentifier) is { } delivery:
                return delivery.IsCompletedSuccessfully ? Task.CompletedTask : ReleaseAck(pubAck, delivery);
            case MqttPublishPacket publish:
                _pending!.Dequeued(args.ClientId, publish.Payload.Length);
                break;
            case MqttConnAckPacket { ReasonCode: MqttConnectReasonCode.Success } connAck:
                // The queue of a new session is empty; a resumed one was rebuilt from its unacknowledged messages,
                // which are not counted again (sent once, they were taken off already).
                _pending!.Forget(args.ClientId);
                // MQTT 5: a client asking for a longer session than the broker keeps is told what it gets.
                if (_sessions!.ExpiryOf(args.ClientId) is { } expiry) connAck.SessionExpiryInterval = (uint)expiry.TotalSeconds;
                break;
        }
        return Task.CompletedTask;
    }

    private Task OnOverwritten(QueueMessageOverwrittenEventArgs args)
    {
        if (args.Packet is MqttPublishPacket publish) _pending!.Dequeued(args.ReceiverClientId, publish.Payload.Length);
        return Task.CompletedTask;
    }

    private async Task OnDisconnected(ClientDisconnectedEventArgs args)
    {
        // A session taken over lives on in the new connection.
        if (args.DisconnectType == MqttClientDisconnectType.Takeover) return;
        // A clean session was deleted already (OnSessionDeleted); a kept one stays, its queue and QoS 2 state with it.
        var evicted = _sessions!.Disconnected(args.ClientId);
        if (evicted.Count == 0) return;
        var ids = evicted.ToHashSet(StringComparer.Ordinal);
        await DeleteSessions(ids.Contains);
        logger.LogInformation("Deleted {Count} kept MQTT session(s): more than Mqtt:MaxKeptSessions {Max} clients are away", evicted.Count, options.Value.MaxKeptSessions);
    }

    private Task OnSessionDeleted(SessionDeletedEventArgs args)
    {
        _sessions!.Deleted(args.Id);
        _listeners.TryRemove(args.Id, out _);
        _exactlyOnce.Forget(args.Id);
        _pending!.Forget(args.Id);
        return Task.CompletedTask;
    }

    /// <summary>On <c>/health</c>: devices can connect only while the broker listens.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var port = options.Value.Port;
        return Task.FromResult(_server is { IsStarted: true }
            ? HealthCheckResult.Healthy($"embedded MQTT broker listening on port {port}")
            : HealthCheckResult.Unhealthy($"embedded MQTT broker not listening on port {port}"));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        registry.CredentialsRevoked -= OnCredentialsRevoked;
        _sweep?.Dispose();
        if (_server is null) return;
        await _server.StopAsync();
        _server.Dispose();
    }
}

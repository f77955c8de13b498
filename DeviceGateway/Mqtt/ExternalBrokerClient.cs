using System.Diagnostics.Metrics;
using CommandCenter.DeviceGateway.Commands;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using CommandCenter.VideoRelay.Streams;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// The gateway as an MQTT 5 client of an external broker (<c>Mqtt:EmbeddedBroker=false</c>). Device traffic comes
/// in through shared subscriptions (<c>$share/{group}/cc/+/+/telemetry</c> …), so each message goes to one of the
/// gateways of the group, and passes the same router as on the embedded broker. A QoS 1 message is acknowledged to
/// the broker only once the router has taken it; the session outlives the connection (clean start off, a session
/// expiry), so what was given to this gateway and not acknowledged is given to it again when it is back.
/// </summary>
public sealed class ExternalBrokerClient(
    IOptions<MqttOptions> options,
    DeviceMessageRouter router,
    DeviceRegistry registry,
    DeviceCommands commands,
    GatewayStats stats,
    IMeterFactory meters,
    ILogger<ExternalBrokerClient> logger) : BackgroundService, IHealthCheck
{
    /// <summary>The device channels the gateways share; each message goes to one gateway of the group.</summary>
    private static readonly string[] SharedChannels = ["telemetry", "status", "event"];
    /// <summary>
    /// Acknowledgements of commands go to every gateway, not one of the group: only the gateway that sent a command
    /// waits for its answer, and the others find no command of that id and leave it.
    /// </summary>
    private static readonly string AcknowledgementFilter = $"{DeviceMessageParser.TopicPrefix}/+/+/{DeviceAcl.CommandChannel}/ack";
    /// <summary>Who sent a message, as far as the gateway knows: the broker does not pass on the device's client id.</summary>
    private const string Source = "(external broker)";

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly SemaphoreSlim _lost = new(0, 1);
    private long _reconnects;
    private DateTimeOffset _lastFailureLogged;
    private string? _lastFailure;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Times the connection to the broker was lost or could not be made.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        meters.Create("CommandCenter.DeviceGateway").CreateObservableCounter("gateway.broker.reconnects", () => Reconnects);
        _client.ApplicationMessageReceivedAsync += OnMessage;
        _client.DisconnectedAsync += OnDisconnected;
        commands.Publisher = PublishCommand;
        var backoff = new RestartBackoff(settings.ReconnectBackoffInitial, settings.ReconnectBackoffMax);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A loss signalled while the last attempt was still under way is old news.
                _lost.Wait(0);
                await Connect(settings, stoppingToken);
                backoff.Reset();
                // Wait for the connection to go, then connect again.
                await _lost.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                Failed($"connecting to {settings.Host}:{settings.Port} failed: {e.GetBaseException().Message}");
                // Connected but not subscribed is no use: start over.
                if (_client.IsConnected)
                {
                    try { await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None); }
                    catch (Exception disconnect) { logger.LogDebug(disconnect, "Disconnecting from the MQTT broker failed"); }
                }
            }
            try { await Task.Delay(backoff.Next(), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task Connect(MqttOptions settings, CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(settings.EffectiveClientId)
            // The session, with what the broker gave this gateway and it did not yet acknowledge, survives a crash.
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, settings.SessionExpiry.TotalSeconds))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (settings.UserName.Length > 0) builder.WithCredentials(settings.UserName, settings.Password);
        if (settings.BrokerTls) builder.WithTlsOptions(o => o.UseTls());
        var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var channel in SharedChannels)
            subscribe.WithTopicFilter(f => f
                .WithTopic($"$share/{settings.SharedGroup}/{DeviceMessageParser.TopicPrefix}/+/+/{channel}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        subscribe.WithTopicFilter(f => f
            .WithTopic(AcknowledgementFilter)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe));
        var subscribed = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        var refused = subscribed.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
            throw new InvalidOperationException("the broker refused the subscription(s) " +
                string.Join(", ", refused.Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})")));
        logger.LogInformation("Connected to the MQTT broker at {Host}:{Port} as {ClientId} (session present: {SessionPresent}), sharing device traffic in group {Group}",
            settings.Host, settings.Port, settings.EffectiveClientId, result.IsSessionPresent, settings.SharedGroup);
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            Failed($"the connection to the broker was lost: {args.Reason} {args.ReasonString ?? args.Exception?.GetBaseException().Message}");
            if (_lost.CurrentCount == 0) _lost.Release();
        }
        return Task.CompletedTask;
    }

    /// <summary>Counts a lost or failed connection; logs it at once when the reason changes, else at most once a minute.</summary>
    private void Failed(string why)
    {
        var count = Interlocked.Increment(ref _reconnects);
        var now = DateTimeOffset.UtcNow;
        if (why == _lastFailure && now - _lastFailureLogged < TimeSpan.FromMinutes(1)) return;
        (_lastFailure, _lastFailureLogged) = (why, now);
        logger.LogWarning("MQTT broker: {Why}; trying again with back-off ({Count} so far)", why, count);
    }

    /// <summary>
    /// Called for one message at a time, in the order the broker sent them, so acknowledgements go back in that
    /// order as MQTT asks. A message the router refused is acknowledged too (sending it again would change
    /// nothing); one whose grain could not take it is not, and the connection is dropped so the broker gives it
    /// again once this gateway is back.
    /// </summary>
    private async Task OnMessage(MqttApplicationMessageReceivedEventArgs args)
    {
        args.AutoAcknowledge = false;
        var message = args.ApplicationMessage;
        var qos = message.QualityOfServiceLevel;
        try
        {
            if (DeviceCommands.IsAcknowledgement(message.Topic, out var ackKind, out var ackDevice))
            {
                await commands.Acknowledge(Source, ackKind, ackDevice, message.Payload, message.Topic, heardByEveryGateway: true);
            }
            else if (Unregistered(message.Topic) is { } rejection)
            {
                stats.Rejected(Source, message.Topic, rejection);
            }
            else
            {
                if (message.Retain) stats.RetainIgnored();
                await router.Route(Source, message.Topic, message.Payload, qos != MqttQualityOfServiceLevel.AtMostOnce);
            }
        }
        catch (Exception)
        {
            // Counted and logged by the router. Not acknowledging it keeps it with the broker, which sends it again
            // only on a new connection: drop this one.
            _ = _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.UnspecifiedError });
            return;
        }
        if (qos != MqttQualityOfServiceLevel.AtMostOnce) await args.AcknowledgeAsync(CancellationToken.None);
    }

    /// <summary>
    /// The broker authenticated the sender, but a device the registry does not know (retired since the broker's
    /// password file was written, or never registered here) is refused as on the embedded broker.
    /// </summary>
    private RejectedMessageException? Unregistered(string topic)
    {
        var parts = topic.Split('/');
        if (parts.Length < 3 || !DeviceKinds.TryParse(parts[1], out var kind) || !DeviceRegistry.IsValidId(parts[2])) return null;
        return registry.Find(parts[2]) is { HasSecret: true } device && device.Kind == kind
            ? null
            : new RejectedMessageException(RejectReason.Auth, $"{kind.Name()} {parts[2]} is not registered here (or not as a {kind.Name()}, or without a secret)");
    }

    /// <summary>
    /// Sends a command at QoS 1. While the broker is away the send is skipped: the command is sent again after
    /// its acknowledgement timeout, as one that got lost on the way.
    /// </summary>
    private async Task PublishCommand(string topic, byte[] payload)
    {
        if (!_client.IsConnected)
        {
            logger.LogDebug("No connection to the MQTT broker: command on {Topic} not sent this time", LogText.Safe(topic));
            return;
        }
        try
        {
            await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Sending a command on {Topic} failed; it is sent again after its acknowledgement timeout", LogText.Safe(topic));
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var data = new Dictionary<string, object> { ["broker"] = $"{settings.Host}:{settings.Port}", ["reconnects"] = Reconnects };
        // Degraded, not unhealthy: restarting this process would not bring the broker back.
        return Task.FromResult(_client.IsConnected
            ? HealthCheckResult.Healthy($"connected to the MQTT broker at {settings.Host}:{settings.Port}", data)
            : HealthCheckResult.Degraded($"not connected to the MQTT broker at {settings.Host}:{settings.Port}", data: data));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        commands.Publisher = null;
        // A normal disconnect keeps the session: messages the broker gives this gateway meanwhile wait for its return.
        if (_client.IsConnected)
        {
            try { await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken); }
            catch (Exception e) { logger.LogDebug(e, "Disconnecting from the MQTT broker failed"); }
        }
        _client.Dispose();
    }
}

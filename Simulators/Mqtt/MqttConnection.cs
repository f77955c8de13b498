using Microsoft.Extensions.Logging;
using MQTTnet;
using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Reporting;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.Simulators.Mqtt;

/// <summary>
/// One broker connection shared by many devices. It keeps itself connected (retrying with backoff for as long
/// as it takes, moving to the next of <see cref="MqttOptions.BrokerList"/> when its broker does not take it back) and
/// sends the devices' messages. While it is down, QoS 0 messages count as failed; QoS 1 messages no broker has
/// acknowledged are kept and sent again once connected, to whichever broker: none acknowledged is lost, one resent
/// may arrive twice (its PUBACK was lost with the broker): a reading at the same time leaves the same state, an
/// event counts once more in its alert's occurrences.
/// </summary>
/// <param name="clientId">Its MQTT client id.</param>
/// <param name="credentials">User name and password, or null to connect without.</param>
/// <param name="ready">Completes once the connection may be opened (its device is registered).</param>
/// <param name="commandTopic">A device's own command topic, whose commands it answers "ok"; null for a shared connection.</param>
/// <param name="taker">The device, if it acts on commands itself (a handheld taking tasks) and chooses its answers.</param>
public sealed class MqttConnection(string clientId, (string User, string Password)? credentials, Task ready,
    MqttOptions options, SimulatorStats stats, ILogger<MqttConnection> logger, string? commandTopic = null, ICommandTaker? taker = null)
{
    readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    readonly SemaphoreSlim inFlight = new(options.MaxInFlight);
    readonly CancellationTokenSource stopping = new();
    TaskCompletionSource<string> disconnected = new();
    Task connecting = Task.CompletedTask;
    readonly IReadOnlyList<(string Host, int Port)> brokers = options.BrokerList();
    int broker;
    readonly System.Collections.Concurrent.ConcurrentQueue<MqttApplicationMessage> unacknowledged = new();
    int unacknowledgedCount;

    /// <summary>The broker this connection uses now (or tries next), as host:port.</summary>
    public string Broker => $"{brokers[broker].Host}:{brokers[broker].Port}";

    public bool IsConnected => client.IsConnected;

    public void Start()
    {
        client.DisconnectedAsync += args =>
        {
            if (args.ClientWasConnected) disconnected.TrySetResult(args.Exception?.Message ?? args.Reason.ToString());
            return Task.CompletedTask;
        };
        if (commandTopic is not null) client.ApplicationMessageReceivedAsync += AnswerCommand;
        connecting = KeepConnectedAsync(stopping.Token);
    }

    /// <summary>
    /// Starts sending <paramref name="message"/> and returns once it is on its way; waits only when
    /// <see cref="MqttOptions.MaxInFlight"/> publishes are still unacknowledged, which is what paces load mode.
    /// </summary>
    public async ValueTask PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (!client.IsConnected)
        {
            if (!KeepForResend(message)) stats.RecordUnsent();
            return;
        }
        await inFlight.WaitAsync(cancellationToken);
        _ = SendAsync(message);
    }

    /// <summary>Waits for outstanding publishes, then hangs up.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            for (var slot = 0; slot < options.MaxInFlight; slot++)
                await inFlight.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout is up; whatever is left is abandoned.
        }

        await stopping.CancelAsync();
        await connecting;
        if (client.IsConnected)
        {
            try { await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None); }
            catch (Exception error) { logger.LogDebug(error, "MQTT connection {Client}: disconnect failed", clientId); }
        }
        client.Dispose();
    }

    async Task KeepConnectedAsync(CancellationToken cancellationToken)
    {
        try { await ready.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) { return; }
        var backoff = new RestartBackoff(options.ReconnectDelay, options.MaxReconnectDelay);
        var outageReported = false;
        var connectedBefore = false;

        while (!cancellationToken.IsCancellationRequested)
        {
            disconnected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var (host, port) = brokers[broker];
            try
            {
                await client.ConnectAsync(ClientOptions(host, port), cancellationToken);
                if (commandTopic is not null)
                    await client.SubscribeAsync(commandTopic, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
                stats.RecordConnected(again: connectedBefore);
                connectedBefore = true;
                logger.LogInformation("MQTT connection {Client} up ({Host}:{Port})", clientId, host, port);
                backoff.Reset();
                outageReported = false;
                Resend();

                var reason = await disconnected.Task.WaitAsync(cancellationToken);
                logger.LogWarning("MQTT connection {Client} to {Host}:{Port} lost: {Reason}; reconnecting", clientId, host, port, reason);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                var delay = backoff.Next();
                // After a drop the same broker was tried again at once (a restart, a blip); it did not take the
                // connection back, so the next one is tried, round the list.
                broker = (broker + 1) % brokers.Count;
                // One warning per outage; the summary line's "connected" count tells the rest.
                logger.Log(outageReported ? LogLevel.Debug : LogLevel.Warning,
                    "MQTT connection {Client} to {Host}:{Port} failed ({Reason}); trying {Next} in {Delay}s, backing off up to {MaxDelay}s",
                    clientId, host, port, error.GetBaseException().Message, Broker, delay.TotalSeconds, options.MaxReconnectDelay.TotalSeconds);
                outageReported = true;
                try { await Task.Delay(delay, cancellationToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    MqttClientOptions ClientOptions(string host, int port)
    {
        var builder = new MqttClientOptionsBuilder();
        if (credentials is var (user, password)) builder = builder.WithCredentials(user, password);
        return builder
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithCleanSession()
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.Timeout)
            // One socket write per message instead of two (header, then payload): halves the system calls under load.
            .WithoutPacketFragmentation()
            .Build();
    }

    /// <summary>Keeps a QoS 1 message no broker acknowledged, for <see cref="Resend"/>; false when it is QoS 0 or there is no room.</summary>
    bool KeepForResend(MqttApplicationMessage message)
    {
        if (message.QualityOfServiceLevel == MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce) return false;
        if (Interlocked.Increment(ref unacknowledgedCount) > options.MaxUnacknowledged)
        {
            Interlocked.Decrement(ref unacknowledgedCount);
            return false;
        }
        unacknowledged.Enqueue(message);
        return true;
    }

    /// <summary>Once connected again, sends the kept QoS 1 messages first, through the same in-flight limit as new ones.</summary>
    void Resend()
    {
        var count = Volatile.Read(ref unacknowledgedCount);
        if (count == 0) return;
        logger.LogInformation("MQTT connection {Client}: resending {Count} unacknowledged QoS 1 messages to {Broker}", clientId, count, Broker);
        _ = Task.Run(async () =>
        {
            while (client.IsConnected && unacknowledged.TryDequeue(out var message))
            {
                Interlocked.Decrement(ref unacknowledgedCount);
                try { await inFlight.WaitAsync(stopping.Token); }
                catch (OperationCanceledException) { return; }
                _ = SendAsync(message);
            }
        });
    }

    /// <summary>A simulated device does what it is told at once and says so; a repeated cmdId gets the same answer.</summary>
    Task AnswerCommand(MqttApplicationMessageReceivedEventArgs args)
    {
        string? cmdId = null;
        string? type = null;
        var result = "ok";
        try
        {
            using var command = System.Text.Json.JsonDocument.Parse(args.ApplicationMessage.Payload);
            cmdId = command.RootElement.GetProperty("cmdId").GetString();
            type = command.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (taker is not null && cmdId is not null)
                result = taker.Take(cmdId, type, command.RootElement.TryGetProperty("args", out var a) ? a : default);
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            logger.LogWarning("{Client} got a command it cannot read: {Reason}", clientId, error.Message);
            return Task.CompletedTask;
        }
        logger.LogInformation("{Client} got command {CmdId} ({Type}): {Result}", clientId, cmdId, type, result);
        var answer = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { ts = DateTimeOffset.Now.ToString("O"), cmdId, result });
        // Not awaited here: the client hands received messages to this handler, and the answer's PUBACK comes in the same way.
        _ = Task.Run(async () =>
        {
            try
            {
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(commandTopic + "/ack").WithPayload(answer)
                    .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), stopping.Token);
            }
            catch (Exception error)
            {
                // The command center sends the command again; the next answer may get through.
                logger.LogDebug(error, "{Client}: answering command {CmdId} failed", clientId, cmdId);
            }
        });
        return Task.CompletedTask;
    }

    async Task SendAsync(MqttApplicationMessage message)
    {
        try
        {
            var result = await client.PublishAsync(message, stopping.Token);
            // MQTT 5 brokers answer "no matching subscribers" when nobody listens on the topic: still delivered.
            if (result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                stats.RecordSent(acknowledged: message.QualityOfServiceLevel != MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce);
            else stats.RecordRefused();
        }
        catch (Exception)
        {
            // Mostly a connection dropping mid-publish; the reconnect loop deals with the cause, and a QoS 1 message
            // goes again once connected (to this broker or the next).
            if (!KeepForResend(message)) stats.RecordUnsent();
        }
        finally
        {
            inFlight.Release();
        }
    }
}

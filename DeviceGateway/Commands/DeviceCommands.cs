using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Commands;

public sealed class CommandOptions
{
    public const string Section = "Commands";

    /// <summary>How long the first attempt waits for the device's acknowledgement (default 10 s); each retry waits twice as long as the one before.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Sends of one command before it is reported failed (default 3); every send carries the same cmdId.</summary>
    public int Attempts { get; set; } = 3;
}

/// <summary>How one command is sent: under a cmdId the caller stored (so a re-send after a restart carries the same),
/// with its own wait and number of sends instead of <see cref="CommandOptions"/>'s.</summary>
public sealed record CommandDelivery(string CmdId, TimeSpan AckTimeout, int Attempts);

/// <summary>What became of a command: the device's answer, or none after every attempt.</summary>
public sealed record CommandOutcome(string CmdId, bool Acknowledged, string? Result, string? Text, int Attempts);

/// <summary>
/// Commands down to devices on <c>cc/{kind}/{id}/cmd</c> (QoS 1) and their acknowledgements on
/// <c>cc/{kind}/{id}/cmd/ack</c>. QoS 1 only says the device's MQTT stack got the packet; the acknowledgement
/// says the device acted on it, so an unanswered command is sent again, with the same cmdId, after a growing wait.
/// </summary>
public sealed class DeviceCommands(IOptions<CommandOptions> options, TimeProvider clock, GatewayStats stats, IGrainFactory grains,
    ILogger<DeviceCommands> logger)
{
    private sealed record Pending(DeviceKind Kind, string DeviceId, TaskCompletionSource<(string Result, string? Text)> Answer);

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Set by the broker that carries commands; without one every command fails at once.</summary>
    internal Func<string, byte[], Task>? Publisher { get; set; }

    /// <summary>Sends a command and waits for its acknowledgement, retrying; returns when answered or given up.</summary>
    public Task<CommandOutcome> Send(DeviceKind kind, string deviceId, string type, JsonObject? arguments, CancellationToken cancellationToken) =>
        Send(kind, deviceId, type, arguments, new CommandDelivery($"c-{Guid.NewGuid():N}", options.Value.AckTimeout, options.Value.Attempts), cancellationToken);

    /// <summary>Sends a command as <paramref name="delivery"/> says and waits for its acknowledgement, retrying.</summary>
    public async Task<CommandOutcome> Send(DeviceKind kind, string deviceId, string type, JsonObject? arguments, CommandDelivery delivery,
        CancellationToken cancellationToken)
    {
        var cmdId = delivery.CmdId;
        var pending = new Pending(kind, deviceId, new(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending[cmdId] = pending;
        try
        {
            var topic = $"{DeviceMessageParser.TopicPrefix}/{kind.Name()}/{deviceId}/cmd";
            var payload = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["ts"] = clock.GetUtcNow().ToString("O"), ["cmdId"] = cmdId, ["type"] = type, ["args"] = arguments?.DeepClone() ?? new JsonObject(),
            });
            var wait = delivery.AckTimeout;
            for (var attempt = 1; attempt <= delivery.Attempts; attempt++)
            {
                if (Publisher is not { } publish) return new(cmdId, false, null, "no broker carries commands", attempt - 1);
                await publish(topic, payload);
                var answered = await Task.WhenAny(pending.Answer.Task, Task.Delay(wait, clock, cancellationToken));
                if (answered == pending.Answer.Task)
                {
                    var (result, text) = await pending.Answer.Task;
                    return new(cmdId, true, result, text, attempt);
                }
                cancellationToken.ThrowIfCancellationRequested();
                wait *= 2;
            }
            logger.LogWarning("Command {CmdId} ({Type}) to {Kind} {Device} was not acknowledged after {Attempts} attempts",
                cmdId, LogText.Safe(type), kind.Name(), LogText.Safe(deviceId), delivery.Attempts);
            return new(cmdId, false, null, "not acknowledged", delivery.Attempts);
        }
        finally
        {
            _pending.TryRemove(cmdId, out _);
        }
    }

    /// <summary><c>cc/{kind}/{id}/cmd/ack</c>: a device answering a command.</summary>
    public static bool IsAcknowledgement(string topic, out DeviceKind kind, out string deviceId)
    {
        var parts = topic.Split('/');
        deviceId = parts.Length == 5 ? parts[2] : "";
        kind = default;
        return parts.Length == 5 && parts[0] == DeviceMessageParser.TopicPrefix && parts[3] == Mqtt.DeviceAcl.CommandChannel && parts[4] == "ack"
            && DeviceKinds.TryParse(parts[1], out kind) && Registry.DeviceRegistry.IsValidId(deviceId);
    }

    /// <summary>
    /// Takes an acknowledgement a device published on its own <c>…/cmd/ack</c> topic (the ACL saw to that). A handheld's
    /// answer also goes to its grain, which holds its task durably: a task answered after a restart, before it was sent
    /// again, still moves the unit. Returns once the grain has stored it, so the broker acknowledges it only then.
    /// <paramref name="heardByEveryGateway"/>: behind an external broker every gateway gets every answer, so one that
    /// this gateway neither waits for nor applies belongs to another gateway and is left alone, not counted.
    /// </summary>
    public async Task Acknowledge(string clientId, DeviceKind kind, string deviceId, ReadOnlySequence<byte> payload, string topic,
        bool heardByEveryGateway = false)
    {
        string cmdId, result;
        string? text = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("cmdId", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("result", out var outcome) || outcome.ValueKind != JsonValueKind.String)
                throw new RejectedMessageException(RejectReason.Field, "an acknowledgement needs 'cmdId' and 'result' strings");
            (cmdId, result) = (id.GetString()!, outcome.GetString()!);
            if (result.Length is 0 or > 32) throw new RejectedMessageException(RejectReason.Field, "'result' must be 1-32 characters");
            if (root.TryGetProperty("text", out var note) && note.ValueKind == JsonValueKind.String) text = note.GetString();
            if (text?.Length > 500) throw new RejectedMessageException(RejectReason.Field, "'text' is longer than 500 characters");
        }
        catch (JsonException e)
        {
            stats.Rejected(clientId, topic, new RejectedMessageException(RejectReason.Json, $"payload is not JSON: {e.Message}"));
            return;
        }
        catch (RejectedMessageException rejection)
        {
            stats.Rejected(clientId, topic, rejection);
            return;
        }
        // Only the device a command went to can answer it; a late or repeated answer finds nothing to complete.
        var awaited = _pending.TryGetValue(cmdId, out var pending) && pending.Kind == kind && pending.DeviceId == deviceId;
        if (awaited) pending!.Answer.TrySetResult((result, text));
        var answer = AnswerOutcome.NotATask;
        if (kind == DeviceKind.Handheld)
        {
            try
            {
                answer = await grains.GetGrain<IHandheldGrain>(deviceId).Answer(cmdId, result, text);
            }
            catch (Exception e)
            {
                stats.Failed(e, topic);
                return;
            }
        }
        var refusal = answer switch
        {
            AnswerOutcome.Applied => null,
            AnswerOutcome.Repeated => "the task was already answered",
            AnswerOutcome.Invalid => "a task is answered 'accepted' or 'rejected'",
            _ when awaited => null,
            _ => $"no command '{LogText.Safe(cmdId, 64)}' of this device waits for an answer",
        };
        if (refusal is null) stats.Accepted();
        else if (heardByEveryGateway && answer is AnswerOutcome.NotATask or AnswerOutcome.Repeated)
            logger.LogDebug("Answer {CmdId} of {Kind} {Device} is for another gateway: {Why}", LogText.Safe(cmdId, 64), kind, LogText.Safe(deviceId), refusal);
        else stats.Rejected(clientId, topic, new RejectedMessageException(RejectReason.Command, refusal));
    }
}

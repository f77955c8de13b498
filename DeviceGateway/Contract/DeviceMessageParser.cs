using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Contract;

/// <summary>
/// Reads `cc/{kind}/{deviceId}/{channel}` topics and their JSON payloads (docs/device-contract.md),
/// within the limits of <see cref="GatewayOptions"/> and a window around the server's clock.
/// </summary>
public sealed partial class DeviceMessageParser(IOptions<GatewayOptions> options, TimeProvider clock)
{
    public const string TopicPrefix = "cc";
    private const int MaxTextLength = 500;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex DeviceIdPattern();

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex EventTypePattern();

    [GeneratedRegex("^[a-z][0-9]{5}$")]
    private static partial Regex PollutantCodePattern();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffix();

    /// <exception cref="RejectedMessageException">The topic or payload breaks the contract.</exception>
    public DeviceMessage Parse(string topic, ReadOnlySequence<byte> payload)
    {
        var (kind, deviceId, channel) = ParseTopic(topic);
        // The JSON reader leaves the bytes of strings unchecked until they are read as text, which then throws
        // outside any rejection: a payload that is not UTF-8 is refused here, whole.
        if (!System.Text.Unicode.Utf8.IsValid(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray()))
            throw new RejectedMessageException(RejectReason.Json, "payload is not UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new RejectedMessageException(RejectReason.Json, $"payload is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RejectedMessageException(RejectReason.Json, "payload is not a JSON object");
            var ts = Timestamp(root);
            return (kind, channel) switch
            {
                (DeviceKind.Sensor, Channel.Telemetry) => new SensorTelemetry(deviceId, new SensorReading(ts, Values(root), OptionalPosition(root))),
                (DeviceKind.Handheld, Channel.Telemetry) => new HandheldTelemetry(deviceId, new HandheldFix(ts,
                    new GeoPoint(Number(root, "lat", -90, 90), Number(root, "lon", -180, 180)), Number(root, "battery", 0, 1),
                    OptionalNumber(root, "speed", 0, 1000), OptionalNumber(root, "heading", 0, 360), OptionalNumber(root, "accuracy", 0, 100_000))),
                (_, Channel.Status) => new StatusMessage(kind, deviceId, new DeviceStatusReport(ts, Boolean(root, "online"), OptionalPosition(root), OptionalNumber(root, "heading", 0, 360))),
                (DeviceKind.Handheld, Channel.Event) when UnitEvents.TryParse(Text(root, "type") ?? "", out _) =>
                    new UnitEventMessage(deviceId, new UnitEvent(ts, Text(root, "type")!, BoundedText(root))),
                (_, Channel.Event) => new EventMessage(kind, deviceId, Event(root, ts)),
                _ => throw new RejectedMessageException(RejectReason.Channel, $"a {kind.Name()} sends no {channel.ToString().ToLowerInvariant()}"),
            };
        }
    }

    private static (DeviceKind, string, Channel) ParseTopic(string topic)
    {
        var parts = topic.Split('/');
        if (parts.Length != 4 || parts[0] != TopicPrefix)
            throw new RejectedMessageException(RejectReason.Topic, $"topic '{Shorten(topic)}' is not {TopicPrefix}/{{kind}}/{{deviceId}}/{{channel}}");
        if (!DeviceKinds.TryParse(parts[1], out var kind))
            throw new RejectedMessageException(RejectReason.Kind, $"unknown device kind '{Shorten(parts[1])}'");
        if (!DeviceIdPattern().IsMatch(parts[2]))
            throw new RejectedMessageException(RejectReason.DeviceId, $"device id '{Shorten(parts[2])}' is not 1-64 of A-Z a-z 0-9 . _ -");
        Channel channel = parts[3] switch
        {
            "telemetry" => Channel.Telemetry,
            "status" => Channel.Status,
            "event" => Channel.Event,
            _ => throw new RejectedMessageException(RejectReason.Channel, $"unknown channel '{Shorten(parts[3])}'"),
        };
        return (kind, parts[2], channel);
    }

    private DateTimeOffset Timestamp(JsonElement root)
    {
        if (!root.TryGetProperty("ts", out var ts) || ts.ValueKind != JsonValueKind.String)
            throw new RejectedMessageException(RejectReason.Timestamp, "'ts' is missing or not a string");
        var text = ts.GetString()!;
        if (!OffsetSuffix().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new RejectedMessageException(RejectReason.Timestamp, $"'ts' '{Shorten(text)}' is not ISO-8601 with an offset");
        return CheckClock(value, "'ts'");
    }

    /// <summary>The device's time, if within the window around the server's clock; every protocol applies the same window.</summary>
    /// <exception cref="RejectedMessageException">The time is too far ahead or behind.</exception>
    public DateTimeOffset CheckClock(DateTimeOffset value, string field)
    {
        // A clock far ahead would pin its alerts to the top of the feed; one far behind would rewrite the past.
        var settings = options.Value;
        var now = clock.GetUtcNow();
        if (value - now > settings.MaxClockAhead)
            throw new RejectedMessageException(RejectReason.Timestamp, $"{field} {value:O} is more than {settings.MaxClockAhead} ahead of the server clock");
        if (now - value > settings.MaxClockBehind)
            throw new RejectedMessageException(RejectReason.Timestamp, $"{field} {value:O} is more than {settings.MaxClockBehind} behind the server clock");
        return value;
    }

    /// <summary>One pass over the codes, each value read where it stands; stops at the first code over the limit.</summary>
    private Dictionary<string, double> Values(JsonElement root)
    {
        if (!root.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object)
            throw new RejectedMessageException(RejectReason.Field, "'values' is missing or not an object");
        var limit = options.Value.MaxValuesPerMessage;
        var result = new Dictionary<string, double>();
        foreach (var item in values.EnumerateObject())
        {
            if (result.Count == limit)
                throw new RejectedMessageException(RejectReason.Limit, $"'values' has more than {limit} pollutant codes");
            if (!PollutantCodePattern().IsMatch(item.Name))
                throw new RejectedMessageException(RejectReason.Field, $"'{Shorten(item.Name)}' is not an HJ 212 pollutant code");
            var max = item.Name == "w01001" ? 14 : double.MaxValue;
            var value = NumberValue(item.Value, item.Name, 0, max);
            // JSON leaves duplicate names undefined; which one would count is a guess, so neither does.
            if (!result.TryAdd(item.Name, value))
                throw new RejectedMessageException(RejectReason.Field, $"'{item.Name}' appears more than once in 'values'");
        }
        if (result.Count == 0) throw new RejectedMessageException(RejectReason.Field, "'values' is empty");
        return result;
    }

    private static DeviceEvent Event(JsonElement root, DateTimeOffset ts)
    {
        var type = Text(root, "type") ?? throw new RejectedMessageException(RejectReason.Field, "'type' is missing");
        if (!EventTypePattern().IsMatch(type))
            throw new RejectedMessageException(RejectReason.Field, $"event type '{Shorten(type)}' is not 1-32 of a-z 0-9 -");
        if (SystemAlertTypes.IsReserved(type))
            throw new RejectedMessageException(RejectReason.Reserved, $"event type '{type}' is reserved for the command center's own alerts");
        var severity = AlertSeverity.Warning;
        if (Text(root, "severity") is { } severityText && !AlertNames.TryParseSeverity(severityText, out severity))
            throw new RejectedMessageException(RejectReason.Field, $"severity '{Shorten(severityText)}' is not critical, major, minor or warning");
        return new DeviceEvent(ts, type, severity, BoundedText(root));
    }

    private static string? BoundedText(JsonElement root)
    {
        var text = Text(root, "text");
        if (text?.Length > MaxTextLength)
            throw new RejectedMessageException(RejectReason.Field, $"'text' is longer than {MaxTextLength} characters");
        return text;
    }

    private static GeoPoint? OptionalPosition(JsonElement root) =>
        root.TryGetProperty("lat", out _) || root.TryGetProperty("lon", out _)
            ? new GeoPoint(Number(root, "lat", -90, 90), Number(root, "lon", -180, 180))
            : null;

    private static double Number(JsonElement parent, string name, double min, double max) =>
        OptionalNumber(parent, name, min, max) ?? throw new RejectedMessageException(RejectReason.Field, $"'{name}' is missing");

    private static double? OptionalNumber(JsonElement parent, string name, double min, double max) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? NumberValue(element, name, min, max)
            : null;

    /// <summary>The value of <paramref name="element"/>, named <paramref name="name"/> in messages.</summary>
    private static double NumberValue(JsonElement element, string name, double min, double max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new RejectedMessageException(RejectReason.Field, $"'{name}' is not a number");
        if (value < min || value > max)
            throw new RejectedMessageException(RejectReason.Field, $"'{name}' {value} is outside {min}..{max}");
        return value;
    }

    private static bool Boolean(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? element.GetBoolean()
            : throw new RejectedMessageException(RejectReason.Field, $"'{name}' is missing or not true/false");

    private static string? Text(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new RejectedMessageException(RejectReason.Field, $"'{name}' is not a string");
    }

    /// <summary>Device text quoted in a rejection: the reason reaches the log.</summary>
    private static string Shorten(string text) => LogText.Safe(text, 64);
}

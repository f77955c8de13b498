using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.Web.Enforcement;

/// <summary>What an enforcement officer decides about an environmental alert; one decision per alert, final.</summary>
public enum DecisionKind { ConfirmedViolation, FalseAlarm, InspectionNeeded }

public static class DecisionKinds
{
    public static string Name(this DecisionKind kind) => kind switch
    {
        DecisionKind.ConfirmedViolation => "confirmed-violation",
        DecisionKind.FalseAlarm => "false-alarm",
        _ => "inspection-needed",
    };

    public static bool TryParse(string? text, out DecisionKind kind)
    {
        foreach (var candidate in Enum.GetValues<DecisionKind>())
        {
            if (string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}

/// <summary>A camera picture taken when the alert fired, with the SHA-256 of the file as it was when the decision was signed.</summary>
public sealed record EvidenceFile(string CameraId, string Sha256);

/// <summary>
/// A signed, final decision. <see cref="Digest"/> is the SHA-256 of <see cref="CanonicalText"/>: who decided what, when,
/// about which alert and reading, and the hash of every snapshot; altering any of them afterwards no longer matches.
/// </summary>
public sealed record EnforcementDecision(
    string AlertId,
    DecisionKind Decision,
    string? Reason,
    string? Note,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string SensorId,
    string Pollutant,
    string Rule,
    double? Value,
    double? Peak,
    double? Limit,
    string? Unit,
    DateTimeOffset AlertFirstAt,
    DateTimeOffset? AlertClearedAt,
    IReadOnlyList<EvidenceFile> Evidence,
    string? RecordNumber,
    string? CaseStatus,
    string? IncidentId,
    string? Digest = null)
{
    /// <summary>
    /// The case of a confirmed violation decided before the case workflow existed, or whose case could not be opened;
    /// otherwise <see cref="CaseStatus"/> holds the id of the case it opened.
    /// </summary>
    public const string CasePending = "pending";

    public string CanonicalText()
    {
        var text = new StringBuilder();
        void Line(string name, string? value) => text.Append(name).Append('=').Append(value ?? "").Append('\n');
        static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
        static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        Line("alert", AlertId);
        Line("decision", Decision.Name());
        Line("reason", Reason);
        Line("note", Note);
        Line("by", DecidedBy);
        Line("at", Time(DecidedAt));
        Line("sensor", SensorId);
        Line("pollutant", Pollutant);
        Line("rule", Rule);
        Line("value", Number(Value));
        Line("peak", Number(Peak));
        Line("limit", Number(Limit));
        Line("unit", Unit);
        Line("alert-first-at", Time(AlertFirstAt));
        Line("alert-cleared-at", Time(AlertClearedAt));
        Line("record", RecordNumber);
        Line("case", CaseStatus);
        Line("incident", IncidentId);
        foreach (var file in Evidence.OrderBy(f => f.CameraId, StringComparer.Ordinal)) Line("evidence:" + file.CameraId, file.Sha256);
        return text.ToString();
    }

    public string ComputeDigest() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText())));

    public EnforcementDecision Signed() => this with { Digest = ComputeDigest() };

    /// <summary>Whether the stored digest still matches the stored fields.</summary>
    public bool DigestMatches => Digest == ComputeDigest();
}

/// <summary>False alarms of one sensor and rule (a pollutant's run of readings or one averaging period): many mark a sensor to service.</summary>
public sealed record NoisySensor(string SensorId, string Rule, string Pollutant, int FalseAlarms, DateTimeOffset Last);

/// <summary>China Standard Time (no daylight saving): how every time is shown to officers and in exports.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset Of(DateTimeOffset at) => at.ToOffset(Offset);

    public static string Text(DateTimeOffset at) => Of(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +08:00";

    public static string Text(DateTimeOffset? at) => at is { } value ? Text(value) : "—";
}

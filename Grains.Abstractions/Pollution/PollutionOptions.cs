using CommandCenter.Grains.Alerts;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Pollution;

/// <summary>
/// How readings are judged: the immediate rule (a run of readings above a limit) and the averaging-period rules
/// (a 1-h, 8-h or 24-h average above its limit), per pollutant and per device profile (docs/air-quality.md).
/// </summary>
public sealed class PollutionOptions
{
    public const string Section = "Pollution";
    /// <summary>An air-quality station judged on GB 3095-2012 grade II limits; it has an AQI.</summary>
    public const string Ambient = "ambient";
    /// <summary>A pollution-source outlet judged on emission limits; it has no AQI.</summary>
    public const string Source = "source";

    /// <summary>Consecutive readings above the limit that raise an exceedance alert.</summary>
    public int RaiseAfterReadings { get; set; } = 3;
    /// <summary>Consecutive readings below the clear threshold that clear it.</summary>
    public int ClearAfterReadings { get; set; } = 3;
    /// <summary>Hysteresis: a reading (or an average) counts towards clearing only below this fraction of the limit.</summary>
    public double ClearBelowFractionOfLimit { get; set; } = 0.9;
    /// <summary>Overrides of the ambient profile's immediate-rule limits by pollutant code (kept from before profiles).</summary>
    public Dictionary<string, double> Limits { get; set; } = [];
    /// <summary>Value ÷ limit at or above which an exceedance is major / critical; below, minor.</summary>
    public double MajorAtRatio { get; set; } = 1.5;
    public double CriticalAtRatio { get; set; } = 2.5;
    /// <summary>
    /// Hours with data a 24-h average needs before its limit is judged (HJ 663-2013: 20 of 24). The AQI uses
    /// whatever hours there are.
    /// </summary>
    public int MinHoursOf24HourAverage { get; set; } = 20;
    /// <summary>Hours with data an 8-h average needs before its limit is judged (HJ 663-2013: 6 of 8).</summary>
    public int MinHoursOf8HourAverage { get; set; } = 6;
    /// <summary>The profile of a sensor the registry gives none.</summary>
    public string DefaultProfile { get; set; } = Ambient;
    /// <summary>Profiles by name; a configured rule's settings override the built-in profile's of the same name.</summary>
    public Dictionary<string, PollutionProfile> Profiles { get; set; } = [];

    public IEnumerable<string> ProfileNames => BuiltIn.Keys.Union(Profiles.Keys, StringComparer.Ordinal);

    public bool HasProfile(string name) => BuiltIn.ContainsKey(name) || Profiles.ContainsKey(name);

    public string ProfileOf(string? assigned) => assigned is not null && HasProfile(assigned) ? assigned : DefaultProfile;

    /// <summary>Whether sensors of the profile have an AQI.</summary>
    public bool HasAqi(string profile) =>
        Profiles.GetValueOrDefault(profile)?.Aqi ?? BuiltIn.GetValueOrDefault(profile)?.Aqi ?? false;

    // Resolved once per (profile, code): every reading asks, and the settings do not change while the host runs.
    private readonly ConcurrentDictionary<(string Profile, string Code), PollutantRule?> _resolved = new();

    /// <summary>The rules of one pollutant under one profile: built-in, overridden by configuration; null if none.</summary>
    public PollutantRule? RuleOf(string profile, string code) => _resolved.GetOrAdd((profile, code), key => Resolve(key.Profile, key.Code));

    private PollutantRule? Resolve(string profile, string code)
    {
        var builtIn = BuiltIn.GetValueOrDefault(profile);
        var configured = Profiles.GetValueOrDefault(profile);
        var rule = Merge(builtIn?.Limits.GetValueOrDefault(code), configured?.Limits.GetValueOrDefault(code));
        if (profile == Ambient && Limits.TryGetValue(code, out var legacy)) rule = (rule ?? new PollutantRule()) with { Instant = legacy };
        if (rule is null) return null;
        return rule with { Standard = rule.Standard ?? configured?.Standard ?? builtIn?.Standard ?? profile };
    }

    /// <summary>Codes with a rule in the profile.</summary>
    public IEnumerable<string> CodesOf(string profile) =>
        (BuiltIn.GetValueOrDefault(profile)?.Limits.Keys ?? Enumerable.Empty<string>())
        .Union(Profiles.GetValueOrDefault(profile)?.Limits.Keys ?? Enumerable.Empty<string>());

    public AlertSeverity SeverityOf(double ratio) =>
        ratio >= CriticalAtRatio ? AlertSeverity.Critical
        : ratio >= MajorAtRatio ? AlertSeverity.Major
        : AlertSeverity.Minor;

    /// <summary>What is wrong with the settings; empty when they are fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (RaiseAfterReadings < 1) yield return "RaiseAfterReadings must be at least 1";
        if (ClearAfterReadings < 1) yield return "ClearAfterReadings must be at least 1";
        if (ClearBelowFractionOfLimit is <= 0 or > 1) yield return "ClearBelowFractionOfLimit must be in (0, 1]";
        if (MajorAtRatio < 1 || CriticalAtRatio < MajorAtRatio) yield return "1 <= MajorAtRatio <= CriticalAtRatio is required";
        if (MinHoursOf24HourAverage is < 1 or > 24) yield return "MinHoursOf24HourAverage must be 1..24";
        if (MinHoursOf8HourAverage is < 1 or > 8) yield return "MinHoursOf8HourAverage must be 1..8";
        if (!HasProfile(DefaultProfile)) yield return $"DefaultProfile '{DefaultProfile}' is not a profile";
        foreach (var (code, limit) in Limits)
            if (limit < 0) yield return $"Limits:{code} must not be negative";
        foreach (var (name, profile) in Profiles)
        foreach (var (code, rule) in profile.Limits)
        {
            if (rule.Values().Any(v => v < 0)) yield return $"Profiles:{name}:Limits:{code}: limits must not be negative (0 turns a rule off)";
            if (rule.RaiseAfterReadings is < 1) yield return $"Profiles:{name}:Limits:{code}:RaiseAfterReadings must be at least 1";
            if (RuleOf(name, code) is { InstantMin: > 0, Instant: > 0 } merged && merged.InstantMin >= merged.Instant)
                yield return $"Profiles:{name}:Limits:{code}: InstantMin must be below Instant";
        }
    }

    private static PollutantRule? Merge(PollutantRule? builtIn, PollutantRule? configured) =>
        (builtIn, configured) switch
        {
            (null, _) => configured,
            (_, null) => builtIn,
            _ => new PollutantRule
            {
                Instant = configured.Instant ?? builtIn.Instant,
                InstantMin = configured.InstantMin ?? builtIn.InstantMin,
                RaiseAfterReadings = configured.RaiseAfterReadings ?? builtIn.RaiseAfterReadings,
                Hour1 = configured.Hour1 ?? builtIn.Hour1,
                Hour8 = configured.Hour8 ?? builtIn.Hour8,
                Hour24 = configured.Hour24 ?? builtIn.Hour24,
                Unit = configured.Unit ?? builtIn.Unit,
                Standard = configured.Standard ?? builtIn.Standard,
            },
        };

    /// <summary>
    /// The shipped profiles. Ambient: GB 3095-2012 table 1, grade II (residential, commercial and industrial areas);
    /// the immediate rule uses the 1-h limit where there is one, else the 24-h one, as before profiles existed.
    /// Source: GB 13223-2011 table 1 (coal-fired boilers of thermal power plants, new units) for flue gas, in mg/m³;
    /// GB 8978-1996 table 4 grade 1 for waste water, in mg/L; both judged per reading and on the hour average
    /// (HJ 75 / HJ 355 judge continuous emission monitoring on hour averages).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, PollutionProfile> BuiltIn = new Dictionary<string, PollutionProfile>
    {
        [Ambient] = new()
        {
            Aqi = true,
            Standard = "GB 3095-2012 grade II",
            Limits = new()
            {
                ["a34004"] = new() { Instant = 75, Hour24 = 75 },
                ["a34002"] = new() { Instant = 150, Hour24 = 150 },
                ["a21026"] = new() { Instant = 500, Hour1 = 500, Hour24 = 150 },
                ["a21004"] = new() { Instant = 200, Hour1 = 200, Hour24 = 80 },
                ["a21005"] = new() { Instant = 10, Hour1 = 10, Hour24 = 4 },
                ["a05024"] = new() { Instant = 200, Hour1 = 200, Hour8 = 160 },
            },
        },
        [Source] = new()
        {
            Aqi = false,
            Standard = "emission limit",
            Limits = new()
            {
                ["a34013"] = new() { Instant = 30, Hour1 = 30, Unit = "mg/m³", Standard = "GB 13223-2011" },
                ["a21026"] = new() { Instant = 100, Hour1 = 100, Unit = "mg/m³", Standard = "GB 13223-2011" },
                ["a21002"] = new() { Instant = 100, Hour1 = 100, Unit = "mg/m³", Standard = "GB 13223-2011" },
                ["w01018"] = new() { Instant = 100, Hour1 = 100, Unit = "mg/L", Standard = "GB 8978-1996 grade 1" },
                ["w21003"] = new() { Instant = 15, Hour1 = 15, Unit = "mg/L", Standard = "GB 8978-1996 grade 1" },
                ["w01001"] = new() { Instant = 9, InstantMin = 6, Unit = "", Standard = "GB 8978-1996 grade 1" },
            },
        },
    };
}

/// <summary>A kind of monitoring point: whether it has an AQI and the limits its readings are judged on.</summary>
public sealed class PollutionProfile
{
    /// <summary>Whether the AQI applies (ambient air); null in configuration: the built-in profile's choice.</summary>
    public bool? Aqi { get; set; }
    /// <summary>Where the profile's limits come from, named in alert titles.</summary>
    public string? Standard { get; set; }
    public Dictionary<string, PollutantRule> Limits { get; set; } = [];
}

/// <summary>
/// One pollutant's limits under a profile. A null setting keeps the built-in one; 0 turns that rule off.
/// </summary>
public sealed record PollutantRule
{
    /// <summary>Upper limit of each reading, judged with the run-of-readings rule.</summary>
    public double? Instant { get; init; }
    /// <summary>Lower limit of each reading (pH), judged with the same rule.</summary>
    public double? InstantMin { get; init; }
    /// <summary>Readings in a row beyond the limit that raise the alert; null: <see cref="PollutionOptions.RaiseAfterReadings"/>.</summary>
    public int? RaiseAfterReadings { get; init; }
    /// <summary>Limit of the 1-h average.</summary>
    public double? Hour1 { get; init; }
    /// <summary>Limit of the 8-h moving average.</summary>
    public double? Hour8 { get; init; }
    /// <summary>Limit of the 24-h moving average.</summary>
    public double? Hour24 { get; init; }
    /// <summary>Unit of the limits (and of the readings the profile expects); null: the pollutant's usual unit.</summary>
    public string? Unit { get; init; }
    /// <summary>The standard the limits come from, for alert titles; null: the profile's.</summary>
    public string? Standard { get; init; }

    internal IEnumerable<double> Values() =>
        new[] { Instant, InstantMin, Hour1, Hour8, Hour24 }.Where(v => v is not null).Select(v => v!.Value);

    /// <summary>The limit of an averaging period; null when the rule has none or it is turned off.</summary>
    public double? LimitOf(AveragingPeriod period) => (period switch
    {
        AveragingPeriod.Hour1 => Hour1,
        AveragingPeriod.Hour8 => Hour8,
        _ => Hour24,
    }) is > 0 and var limit ? limit : null;
}

/// <summary>Refuses to start with rules that cannot be judged, naming each problem.</summary>
public sealed class PollutionOptionsValidation : IValidateOptions<PollutionOptions>
{
    public ValidateOptionsResult Validate(string? name, PollutionOptions options) =>
        options.Problems().Select(p => $"{PollutionOptions.Section}: {p}").ToList() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}

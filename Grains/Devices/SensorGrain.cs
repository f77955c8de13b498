using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Options;

using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// A pollution monitor: latest readings, the last 24 hours of hour averages, its AQI (ambient profile) and the limit
/// alerts of each pollutant under its profile's rules (docs/air-quality.md).
/// </summary>
[GrainType("sensor")]
public sealed class SensorGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveFeed feed,
    IOptions<DeviceOptions> options,
    IOptions<PollutionOptions> pollution,
    RefusedReadings refused,
    History.HistoryWriter history,
    [FromKeyedServices(RuleClock.Key)] TimeProvider clock) : DeviceGrain(state, feed, options, clock), ISensorGrain
{
    private static readonly AveragingPeriod[] Periods = Enum.GetValues<AveragingPeriod>();

    protected override DeviceKind Kind => DeviceKind.Sensor;

    protected override IReadOnlyList<string> Exceeded => State.OpenExceedances();

    private PollutionOptions Rules => pollution.Value;
    private string Profile => Rules.ProfileOf(State.Profile);

    public async Task<ReportOutcome> Report(SensorReading reading)
    {
        await Heard();
        // Every reading goes into history at its own time, a late one too: only live judging needs them in order.
        history.Record(Id, reading);
        var late = IsLate(reading.Ts);
        // A late reading still counts in its hour's average if that hour is in the window.
        var end = HourlyAverages.EndOf(Now, late ? State.LastReport : reading.Ts);
        AddToHours(reading, end);
        if (late)
        {
            // Out of order it would break the rule of consecutive readings above a limit.
            await Commit();
            return ReportOutcome.Late;
        }
        State.LastReport = reading.Ts;
        State.Position = reading.Position ?? State.Position;
        var cap = Options.MaxReadingsPerDevice;
        var refusedCodes = 0;
        var profile = Profile;
        foreach (var (code, value) in reading.Values)
        {
            // Every code is kept, shown and saved for good: a sensor inventing codes must not grow them without end.
            if (!State.Readings.ContainsKey(code) && State.Readings.Count >= cap)
            {
                refusedCodes++;
                continue;
            }
            State.Readings[code] = value;
            // A value the monitor itself marks as not normal (calibrating, over range, fault…) is shown but says
            // nothing about the air: judging it would raise alerts on a span gas or a stuck sensor.
            if (reading.FlagOf(code) != SensorReading.NormalFlag) continue;
            if (Rules.RuleOf(profile, code) is not { } rule) continue;
            var changed = await JudgeReading(code, value, rule, reading.Ts);
            changed |= await JudgeAverages(code, rule, end, reading.Ts);
            if (changed) SaveAtOnce();
        }
        State.Air = Rules.HasAqi(profile) ? AirQualityAt(end, reading.Ts) : null;
        if (refusedCodes > 0) refused.Refused(Id, refusedCodes, cap);
        await Commit();
        return ReportOutcome.Applied;
    }

    public async Task ReportAverages(SensorAverages averages)
    {
        await Heard();
        history.Record(Id, averages);
        var cap = Options.MaxReadingsPerDevice;
        var refusedCodes = 0;
        var end = HourlyAverages.EndOf(Now, State.LastReport);
        foreach (var (code, average) in averages.Values)
        {
            // The monitor's hour average is the hour's value: it averages every sample it took (every few seconds),
            // the grain only those sent, and it is the figure HJ 212 reports and compliance is judged on.
            if (average is { Period: "hour", Flag: SensorReading.NormalFlag, Avg: { } avg } && Averaged(code))
                HourlyAverages.SetReported(HoursOf(code), average.At, avg, end);
            // An older period (an hour value after a newer one replayed late) does not replace the newer.
            if (State.Averages.TryGetValue(code, out var kept) && kept.Period == average.Period && kept.At > average.At) continue;
            if (!State.Averages.ContainsKey(code) && State.Averages.Count >= cap)
            {
                refusedCodes++;
                continue;
            }
            State.Averages[code] = average;
        }
        if (refusedCodes > 0) refused.Refused(Id, refusedCodes, cap);
        if (Rules.HasAqi(Profile)) State.Air = AirQualityAt(end, State.Air?.At ?? averages.Ts);
        await Commit();
    }

    public async Task SetProfile(string? profile)
    {
        if (State.Profile == profile) return;
        State.Profile = profile;
        State.Air = Rules.HasAqi(Profile) ? AirQualityAt(HourlyAverages.EndOf(Now, State.LastReport), State.Air?.At ?? Now) : null;
        await Save();
        // A sensor registered but never heard from stays off the screens, as its district does.
        if (State.LastSeen is not null) Publish();
    }

    /// <summary>Whether the sensor keeps hour buckets of a pollutant: the AQI uses it, or a rule averages it.</summary>
    private bool Averaged(string code) =>
        (Rules.HasAqi(Profile) && Periods.Any(p => Aqi.HasTable(code, p)))
        || (Rules.RuleOf(Profile, code) is { } rule && Periods.Any(p => rule.LimitOf(p) is not null));

    private List<HourBucket> HoursOf(string code)
    {
        if (!State.Hours.TryGetValue(code, out var hours)) State.Hours[code] = hours = [];
        return hours;
    }

    private void AddToHours(SensorReading reading, DateTimeOffset end)
    {
        foreach (var (code, value) in reading.Values)
            if (reading.FlagOf(code) == SensorReading.NormalFlag && Averaged(code))
                HourlyAverages.Add(HoursOf(code), reading.Ts, value, end);
        foreach (var (code, hours) in State.Hours)
        {
            HourlyAverages.Prune(hours, end);
            if (hours.Count == 0) State.Hours.Remove(code);
        }
    }

    /// <summary>The real-time AQI from the 1-h values and the 8-h / 24-h moving averages of the window.</summary>
    private AirQuality? AirQualityAt(DateTimeOffset end, DateTimeOffset at)
    {
        Dictionary<string, double> hour = [], hours8 = [], hours24 = [];
        foreach (var (code, buckets) in State.Hours)
        {
            if (HourlyAverages.HourValue(buckets, end) is { } h) hour[code] = h;
            if (HourlyAverages.Moving(buckets, end, 8) is { } m8) hours8[code] = m8.Value;
            if (HourlyAverages.Moving(buckets, end, 24) is { } m24) hours24[code] = m24.Value;
        }
        return Aqi.RealTime(hour, hours8, hours24, at);
    }

    /// <summary>The immediate rule: a run of readings beyond the limit raises, a run back within clears.</summary>
    private Task<bool> JudgeReading(string code, double value, PollutantRule rule, DateTimeOffset at)
    {
        if (rule.Instant is not > 0 && rule.InstantMin is not > 0) return Task.FromResult(false);
        var (ratio, limit) = ExceedanceRules.RatioOf(value, rule.Instant, rule.InstantMin);
        var name = Pollutants.NameOf(code);
        var unit = rule.Unit ?? Pollutants.UnitOf(code);
        var side = value < limit ? "below" : "above";
        return Judge(ExceedanceRules.Key(code, null), ratio, value, limit, unit, rule.RaiseAfterReadings ?? Rules.RaiseAfterReadings, at,
            $"{name} {value:0.##} {unit} {side} the {rule.Standard} limit {limit:0.##} {unit} at sensor {Id}");
    }

    /// <summary>Each averaging period's rule, once the period has the hours with data it needs.</summary>
    private async Task<bool> JudgeAverages(string code, PollutantRule rule, DateTimeOffset end, DateTimeOffset at)
    {
        if (!State.Hours.TryGetValue(code, out var buckets)) return false;
        var changed = false;
        foreach (var period in Periods)
        {
            if (rule.LimitOf(period) is not { } limit) continue;
            double? average = period switch
            {
                AveragingPeriod.Hour1 => HourlyAverages.HourValue(buckets, end),
                AveragingPeriod.Hour8 => HourlyAverages.Moving(buckets, end, 8) is { } m && m.Hours >= Rules.MinHoursOf8HourAverage ? m.Value : null,
                _ => HourlyAverages.Moving(buckets, end, 24) is { } d && d.Hours >= Rules.MinHoursOf24HourAverage ? d.Value : null,
            };
            if (average is not { } value) continue;
            var name = Pollutants.NameOf(code);
            var unit = rule.Unit ?? Pollutants.UnitOf(code);
            changed |= await Judge(ExceedanceRules.Key(code, period), value / limit, value, limit, unit, 1, at,
                $"{name} {ExceedanceRules.Label(period)} average {value:0.#} {unit} above the {rule.Standard} limit {limit:0.##} {unit} at sensor {Id}");
        }
        return changed;
    }

    /// <returns>Whether the rule's alert opened or closed.</returns>
    private async Task<bool> Judge(string ruleKey, double ratio, double value, double limit, string unit, int raiseAfter,
        DateTimeOffset at, string title)
    {
        var rules = Rules;
        if (!State.Exceedances.TryGetValue(ruleKey, out var run)) State.Exceedances[ruleKey] = run = new ExceedanceRun();
        var alert = AlertOf(SystemAlertTypes.Exceedance(ruleKey));
        if (ratio > 1)
        {
            run.Above++;
            run.Below = 0;
            // The peak is the worst of the whole run, counting the readings that led up to the alert.
            if (!run.AlertOpen && run.Above == 1) (run.Peak, run.PeakAt, run.PeakRatio) = (null, null, 0);
            if (ratio > run.PeakRatio) (run.Peak, run.PeakAt, run.PeakRatio) = (value, at, ratio);
            if (!run.AlertOpen && run.Above < raiseAfter) return false;
            var opened = !run.AlertOpen;
            run.AlertOpen = true;
            // Severity follows the ratio now, up and down; the peak keeps the worst.
            await alert.Raise(new AlertCondition(at, rules.SeverityOf(ratio), title, State.Position, value, limit, unit,
                SeverityFollows: true, Peak: run.Peak, PeakAt: run.PeakAt));
            return opened;
        }
        run.Above = 0;
        if (ratio >= rules.ClearBelowFractionOfLimit) return false;
        run.Below++;
        if (!run.AlertOpen || run.Below < rules.ClearAfterReadings) return false;
        run.AlertOpen = false;
        (run.Peak, run.PeakAt, run.PeakRatio) = (null, null, 0);
        await alert.Clear(at, "condition");
        return true;
    }

    public static string ExceedanceType(string code) => SystemAlertTypes.Exceedance(code);
}

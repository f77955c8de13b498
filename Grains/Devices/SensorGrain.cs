using CommandCenter.Grains.Live;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Options;

using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Devices;

/// <summary>A pollution monitor: latest readings and the limit alerts of each pollutant.</summary>
[GrainType("sensor")]
public sealed class SensorGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveBoard board,
    IOptions<DeviceOptions> options,
    IOptions<PollutionOptions> pollution,
    RefusedReadings refused,
    History.HistoryWriter history,
    TimeProvider clock) : DeviceGrain(state, board, options, clock), ISensorGrain
{
    protected override DeviceKind Kind => DeviceKind.Sensor;

    protected override IReadOnlyList<string> Exceeded => State.OpenExceedances();

    public async Task<ReportOutcome> Report(SensorReading reading)
    {
        await Heard();
        // Every reading goes into history at its own time, a late one too: only live judging needs them in order.
        history.Record(Id, reading);
        if (IsLate(reading.Ts))
        {
            // Out of order it would break the rule of consecutive readings above a limit.
            await Commit();
            return ReportOutcome.Late;
        }
        State.LastReport = reading.Ts;
        State.Position = reading.Position ?? State.Position;
        var cap = Options.MaxReadingsPerDevice;
        var refusedCodes = 0;
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
            if (pollution.Value.LimitOf(code) is { } limit && await Judge(code, value, limit, reading.Ts))
                SaveAtOnce();
        }
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
        foreach (var (code, average) in averages.Values)
        {
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
        await Commit();
    }

    /// <returns>Whether the pollutant's alert opened or closed.</returns>
    private async Task<bool> Judge(string code, double value, double limit, DateTimeOffset at)
    {
        var rules = pollution.Value;
        if (!State.Exceedances.TryGetValue(code, out var run)) State.Exceedances[code] = run = new ExceedanceRun();
        if (value > limit)
        {
            run.Above++;
            run.Below = 0;
            if (!run.AlertOpen && run.Above < rules.RaiseAfterReadings) return false;
            var opened = !run.AlertOpen;
            run.AlertOpen = true;
            var name = Pollutants.NameOf(code);
            var unit = Pollutants.UnitOf(code);
            await AlertOf(ExceedanceType(code)).Raise(new AlertCondition(
                at, rules.SeverityOf(value, limit),
                $"{name} {value:0.#} {unit} above the GB 3095-2012 grade II limit {limit:0.#} {unit} at sensor {Id}",
                State.Position, value, limit, unit));
            return opened;
        }
        run.Above = 0;
        if (value >= limit * rules.ClearBelowFractionOfLimit) return false;
        run.Below++;
        if (!run.AlertOpen || run.Below < rules.ClearAfterReadings) return false;
        run.AlertOpen = false;
        await AlertOf(ExceedanceType(code)).Clear(at, "condition");
        return true;
    }

    public static string ExceedanceType(string code) => SystemAlertTypes.Exceedance(code);
}

using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.History;

/// <summary>
/// One value of one pollutant of one sensor at the device's own time. <paramref name="Period"/> says what the value
/// is: <see cref="RealTime"/> for a reading, or the period of an average the monitor computed itself (HJ 212 minute,
/// hour, day data), kept apart so a chart can draw the monitor's own averages beside the readings.
/// </summary>
/// <param name="Flag">The HJ 212 data flag (N normal, M maintenance, C calibrating…); only N values are averaged.</param>
public sealed record HistoryPoint(string Device, string Pollutant, DateTimeOffset Ts, double Value, string Flag, string Period)
{
    public const string RealTime = "rtd";
    public static readonly IReadOnlySet<string> Periods = new HashSet<string> { RealTime, "minute", "hour", "day" };

    public static IEnumerable<HistoryPoint> Of(string device, SensorReading reading) =>
        reading.Values.Select(v => new HistoryPoint(device, v.Key, reading.Ts, v.Value, reading.FlagOf(v.Key), RealTime));

    /// <summary>The average of each pollutant, where the monitor sent one (a minimum or maximum alone is not kept).</summary>
    public static IEnumerable<HistoryPoint> Of(string device, SensorAverages averages) =>
        averages.Values.Where(v => v.Value.Avg is not null)
            .Select(v => new HistoryPoint(device, v.Key, v.Value.At, v.Value.Avg!.Value, v.Value.Flag, v.Value.Period));
}

/// <summary>A value at a time as a query answers it; <paramref name="Flag"/> is null for a step average.</summary>
public sealed record HistoryValue(DateTimeOffset Ts, double Value, string? Flag);

/// <summary>
/// One series over [<paramref name="From"/>, <paramref name="To"/>). With a <paramref name="Step"/>, the N-flagged
/// values averaged into buckets of that length aligned to the Unix epoch, each stamped with its start; without one,
/// the raw values. At most <paramref name="MaxPoints"/> are wanted: a store answers one more when there are more.
/// </summary>
public sealed record HistoryQuery(string Device, string Pollutant, string Period, DateTimeOffset From, DateTimeOffset To,
    TimeSpan? Step, int MaxPoints);

/// <summary>Where history is kept: a time-series server or the embedded file.</summary>
public interface IHistoryStore
{
    /// <summary>Writes a batch; throws when it did not get there, so the writer keeps it and tries again.</summary>
    Task WriteAsync(IReadOnlyList<HistoryPoint> points, CancellationToken cancellation);

    Task<IReadOnlyList<HistoryValue>> QueryAsync(HistoryQuery query, CancellationToken cancellation);

    /// <summary>A short name for logs and the stats route.</summary>
    string Name { get; }
}

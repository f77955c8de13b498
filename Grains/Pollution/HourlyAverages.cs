namespace CommandCenter.Grains.Pollution;

/// <summary>One clock hour of one pollutant: the normal (flag N) readings in it, or the monitor's own hour average.</summary>
public sealed class HourBucket
{
    /// <summary>Start of the hour, UTC.</summary>
    public DateTimeOffset Hour { get; set; }
    public double Sum { get; set; }
    public int Count { get; set; }
    /// <summary>The monitor's HJ 212 hour average (flag N) for this hour; when present it is the hour's value.</summary>
    public double? Reported { get; set; }

    public double? Average => Reported ?? (Count > 0 ? Sum / Count : null);
}

/// <summary>A moving average and how many hours with data went into it.</summary>
public readonly record struct MovingAverage(double Value, int Hours);

/// <summary>
/// The last 24 clock hours of each pollutant, from which a sensor knows its 1-h value and its 8-h and 24-h moving
/// averages. Kept in the device's state: at most 24 buckets per pollutant, and only for pollutants the AQI or the
/// sensor's profile judges over a period.
/// </summary>
public static class HourlyAverages
{
    public const int WindowHours = 24;

    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The hour the window ends with: the later of now and the latest reading (a device clock a little ahead).</summary>
    public static DateTimeOffset EndOf(DateTimeOffset now, DateTimeOffset? lastReport) =>
        HourOf(lastReport is { } last && last > now ? last : now);

    /// <returns>Whether the value went into a bucket (false: its hour is outside the window).</returns>
    public static bool Add(List<HourBucket> buckets, DateTimeOffset at, double value, DateTimeOffset end) =>
        Bucket(buckets, at, end) is { } bucket && Fill(bucket, value);

    /// <summary>The monitor's hour average replaces what the readings of that hour add up to.</summary>
    public static bool SetReported(List<HourBucket> buckets, DateTimeOffset hour, double average, DateTimeOffset end)
    {
        if (Bucket(buckets, hour, end) is not { } bucket) return false;
        bucket.Reported = average;
        return true;
    }

    /// <summary>Drops hours that left the window.</summary>
    public static void Prune(List<HourBucket> buckets, DateTimeOffset end) =>
        buckets.RemoveAll(b => b.Hour <= end.AddHours(-WindowHours) || b.Hour > end);

    /// <summary>The current hour's average, else the previous hour's (a new hour with no reading yet).</summary>
    public static double? HourValue(IReadOnlyList<HourBucket> buckets, DateTimeOffset end) =>
        buckets.FirstOrDefault(b => b.Hour == end)?.Average ?? buckets.FirstOrDefault(b => b.Hour == end.AddHours(-1))?.Average;

    /// <summary>Mean of the hour values of the <paramref name="hours"/> hours ending with <paramref name="end"/>.</summary>
    public static MovingAverage? Moving(IReadOnlyList<HourBucket> buckets, DateTimeOffset end, int hours)
    {
        var from = end.AddHours(-hours);
        double sum = 0;
        var count = 0;
        // A loop, not LINQ: every reading of an ambient sensor computes a few of these.
        foreach (var bucket in buckets)
        {
            if (bucket.Hour <= from || bucket.Hour > end || bucket.Average is not { } value) continue;
            sum += value;
            count++;
        }
        return count == 0 ? null : new MovingAverage(sum / count, count);
    }

    private static HourBucket? Bucket(List<HourBucket> buckets, DateTimeOffset at, DateTimeOffset end)
    {
        var hour = HourOf(at);
        if (hour <= end.AddHours(-WindowHours) || hour > end) return null;
        var bucket = buckets.FirstOrDefault(b => b.Hour == hour);
        if (bucket is not null) return bucket;
        bucket = new HourBucket { Hour = hour };
        buckets.Add(bucket);
        return bucket;
    }

    private static bool Fill(HourBucket bucket, double value)
    {
        bucket.Sum += value;
        bucket.Count++;
        return true;
    }
}

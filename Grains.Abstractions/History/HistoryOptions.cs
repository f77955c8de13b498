namespace CommandCenter.Grains.History;

/// <summary>Where and how sensor history is written (docs/history.md).</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>An InfluxDB v2 write API (InfluxDB 2, VictoriaMetrics); empty keeps history in the embedded file.</summary>
    public string? Url { get; set; }
    public string? Token { get; set; }
    public string Org { get; set; } = "commandcenter";
    public string Bucket { get; set; } = "pollution";

    /// <summary>The embedded store's file, under Storage:DataDirectory, apart from the state database.</summary>
    public string Database { get; set; } = "history.db";
    /// <summary>The embedded store deletes values older than this many days (default 400: a year and a season to compare).</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>Most points written in one request or transaction (default 5000).</summary>
    public int BatchSize { get; set; } = 5000;
    /// <summary>Longest a point waits in memory before it is written (default 1 s): what a crash can lose.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Points held in memory while the store is slow or down (default 1,000,000); beyond, new points are counted as overflow.</summary>
    public int BufferCapacity { get; set; } = 1_000_000;
    /// <summary>First wait before writing again after a failure, doubled each time up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most points one query answers (default 20,000); a raw query over more is refused: ask with a step.</summary>
    public int MaxPoints { get; set; } = 20_000;
    /// <summary>Longest range one query may span (default 400 days).</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(400);

    public bool UsesServer => !string.IsNullOrWhiteSpace(Url);

    public bool IsValid() =>
        (!UsesServer || Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        && !string.IsNullOrWhiteSpace(Database) && RetentionDays > 0
        && BatchSize > 0 && FlushInterval > TimeSpan.Zero && BufferCapacity >= BatchSize
        && RetryBackoffInitial > TimeSpan.Zero && RetryBackoffMax >= RetryBackoffInitial
        && MaxPoints > 0 && MaxRange > TimeSpan.Zero;
}

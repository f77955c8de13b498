namespace CommandCenter.Grains.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Everything the command center keeps on disk lives under this directory.</summary>
    public string DataDirectory { get; set; } = "data";
    public string StateDatabase { get; set; } = "state.db";
    /// <summary>Most writes that are committed together in one transaction.</summary>
    public int MaxWriteBatch { get; set; } = 2000;
    /// <summary>Most grain states read in one query when many grains activate at once (default 500).</summary>
    public int MaxReadBatch { get; set; } = 500;
    /// <summary>
    /// An Npgsql connection string: the durable records (alerts, incidents, cases and their statistics) live in this
    /// PostgreSQL database, shared by every node. Empty (default): they live in the SQLite file under <see cref="DataDirectory"/>.
    /// </summary>
    public string PostgreSql { get; set; } = "";

    public string StateDatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), StateDatabase);

    public bool UsesPostgreSql => !string.IsNullOrWhiteSpace(PostgreSql);
}

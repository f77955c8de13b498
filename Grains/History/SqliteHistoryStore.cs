using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.History;

/// <summary>
/// History on disk with no server: a SQLite file of its own beside the state database, so the volume of readings never
/// slows the saving of grain state. The writer is its only writer (one transaction per batch); the primary key
/// (device, pollutant, period, ts) is the index a chart's range query walks, and a value sent twice (a replay) is kept
/// once. Values older than History:RetentionDays are deleted once an hour.
/// </summary>
public sealed class SqliteHistoryStore : IHistoryStore, IDisposable
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly string _connectionString;
    private readonly HistoryOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _writing = new(1);
    private SqliteConnection? _writer;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    public SqliteHistoryStore(IOptions<HistoryOptions> options, IOptions<StorageOptions> storage, [FromKeyedServices(RuleClock.Key)] TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        var path = Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), _options.Database);
        PrivateFiles.PrepareDatabase(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 5 }.ToString();
        using var connection = Open();
        SqliteStore.Execute(connection, "PRAGMA journal_mode=WAL;");
        SqliteStore.Execute(connection, """
            CREATE TABLE IF NOT EXISTS points (
                device    TEXT NOT NULL,
                pollutant TEXT NOT NULL,
                period    TEXT NOT NULL,
                ts        INTEGER NOT NULL, -- Unix milliseconds, the device's time
                value     REAL NOT NULL,
                flag      TEXT NOT NULL,
                PRIMARY KEY (device, pollutant, period, ts)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS points_by_time ON points (ts);
            """);
    }

    public string Name => "embedded";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task WriteAsync(IReadOnlyList<HistoryPoint> points, CancellationToken cancellation)
    {
        await _writing.WaitAsync(cancellation);
        try
        {
            // Microsoft.Data.Sqlite runs synchronously: off the caller's thread, as SqliteStore does.
            await Task.Run(() => Write(points), cancellation);
        }
        finally
        {
            _writing.Release();
        }
    }

    private void Write(IReadOnlyList<HistoryPoint> points)
    {
        if (_writer is null)
        {
            _writer = Open();
            // In WAL mode NORMAL loses nothing when the process dies, only on power loss.
            SqliteStore.Execute(_writer, "PRAGMA synchronous=NORMAL;");
        }
        using (var transaction = _writer.BeginTransaction())
        {
            using var insert = _writer.CreateCommand();
            insert.CommandText = "INSERT OR REPLACE INTO points (device, pollutant, period, ts, value, flag) VALUES ($d, $p, $r, $t, $v, $f)";
            var (d, p, r, t, v, f) = (insert.Parameters.Add("$d", SqliteType.Text), insert.Parameters.Add("$p", SqliteType.Text),
                insert.Parameters.Add("$r", SqliteType.Text), insert.Parameters.Add("$t", SqliteType.Integer),
                insert.Parameters.Add("$v", SqliteType.Real), insert.Parameters.Add("$f", SqliteType.Text));
            insert.Prepare();
            foreach (var point in points)
            {
                // SQLite stores NaN as NULL, which the NOT NULL column refuses; such a value says nothing to chart.
                if (!double.IsFinite(point.Value)) continue;
                (d.Value, p.Value, r.Value, t.Value, v.Value, f.Value) =
                    (point.Device, point.Pollutant, point.Period, point.Ts.ToUnixTimeMilliseconds(), point.Value, point.Flag);
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        Prune();
    }

    private void Prune()
    {
        var now = _clock.GetUtcNow();
        if (now < _nextPrune) return;
        _nextPrune = now + PruneEvery;
        using var delete = _writer!.CreateCommand();
        delete.CommandText = "DELETE FROM points WHERE ts < $before";
        delete.Parameters.AddWithValue("$before", (now - TimeSpan.FromDays(_options.RetentionDays)).ToUnixTimeMilliseconds());
        delete.ExecuteNonQuery();
    }

    public Task<IReadOnlyList<HistoryValue>> QueryAsync(HistoryQuery query, CancellationToken cancellation) =>
        Task.Run<IReadOnlyList<HistoryValue>>(() =>
        {
            using var connection = Open();
            using var select = connection.CreateCommand();
            var stepMs = (long?)query.Step?.TotalMilliseconds;
            select.CommandText = stepMs is null
                ? """
                  SELECT ts, value, flag FROM points
                  WHERE device = $d AND pollutant = $p AND period = $r AND ts >= $from AND ts < $to
                  ORDER BY ts LIMIT $limit
                  """
                : """
                  SELECT (ts / $step) * $step AS bucket, avg(value), NULL FROM points
                  WHERE device = $d AND pollutant = $p AND period = $r AND ts >= $from AND ts < $to AND flag = 'N'
                  GROUP BY bucket ORDER BY bucket LIMIT $limit
                  """;
            select.Parameters.AddWithValue("$d", query.Device);
            select.Parameters.AddWithValue("$p", query.Pollutant);
            select.Parameters.AddWithValue("$r", query.Period);
            select.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$limit", query.MaxPoints + 1);
            if (stepMs is not null) select.Parameters.AddWithValue("$step", stepMs.Value);
            var values = new List<HistoryValue>();
            using var rows = select.ExecuteReader();
            while (rows.Read())
                values.Add(new HistoryValue(DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(0)), rows.GetDouble(1),
                    rows.IsDBNull(2) ? null : rows.GetString(2)));
            return values;
        }, cancellation);

    public void Dispose()
    {
        _writer?.Dispose();
        _writing.Dispose();
    }
}

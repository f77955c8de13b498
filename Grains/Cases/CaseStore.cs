using System.Globalization;
using System.Text.Json;
using CommandCenter.Grains.Devices;
using System.Data.Common;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Cases;

/// <summary>Filters of the case list; null filters everything in. Paging is by keyset on (reported_at, id), newest first.</summary>
public sealed record CaseQuery(
    CaseState? State = null, string? Department = null, bool? Overdue = null, string? Category = null, CaseSource? Source = null,
    string? Grid = null, int Limit = 50, CaseCursor? After = null);

/// <summary>Where a page ended: the next page starts strictly after this (reported_at, id).</summary>
public sealed record CaseCursor(long ReportedAt, string Id)
{
    public override string ToString() => $"{ReportedAt}_{Id}";

    public static bool TryParse(string? text, out CaseCursor? cursor)
    {
        cursor = null;
        var cut = text?.IndexOf('_') ?? -1;
        if (cut <= 0 || !long.TryParse(text![..cut], NumberStyles.None, CultureInfo.InvariantCulture, out var at) || cut == text.Length - 1) return false;
        cursor = new(at, text[(cut + 1)..]);
        return true;
    }
}

public sealed record CasePage(IReadOnlyList<Case> Cases, CaseCursor? Next);

/// <summary>
/// The durable record of cases: one row per case in <c>cases</c> (the columns statistics and lists filter on, and the
/// whole case as JSON) and its history in <c>case_events</c>, both written in one transaction of the store's single
/// writer. Times are integer Unix milliseconds UTC. Ids and component serials come from <c>case_sequences</c>.
/// </summary>
public sealed class CaseStore
{
    private readonly IRecordDatabase _store;

    /// <param name="store">Whose migrations made the tables (<see cref="SqliteMigrations"/>, <see cref="PostgreSqlMigrations"/> version 2).</param>
    public CaseStore(IRecordDatabase store) => _store = store;

    /// <summary>Case ids count per day of the city's calendar (China Standard Time, UTC+8).</summary>
    public static readonly TimeSpan CityOffset = TimeSpan.FromHours(8);

    /// <summary>"C" + yyyyMMdd + a 6-digit serial of that day, durable: an id once handed out is never handed out again.</summary>
    public async Task<string> NextIdAsync(DateTimeOffset at)
    {
        var day = at.ToOffset(CityOffset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var serial = await NextAsync($"case:{day}");
        return $"C{day}{serial:D6}";
    }

    /// <summary>The next 6-digit serial of components of one district and class (its first 10 digits).</summary>
    public Task<long> NextComponentSerialAsync(string districtAndClass) => NextAsync($"component:{districtAndClass}");

    private async Task<long> NextAsync(string name)
    {
        long value = 0;
        await _store.WriteAsync(connection =>
        {
            using var command = connection.Command("""
                INSERT INTO case_sequences (name, value) VALUES (@name, 1)
                ON CONFLICT (name) DO UPDATE SET value = case_sequences.value + 1 RETURNING value
                """).With("@name", name);
            value = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        return value;
    }

    /// <summary>Writes the case row and its new history lines in one transaction; done once durable.</summary>
    public Task SaveAsync(Case @case, IReadOnlyList<CaseEvent> added) => _store.WriteAsync(connection =>
    {
        using var commands = new CaseCommands(connection);
        commands.Write(@case, added);
    });

    /// <summary>For bulk loads (the generator): many cases in one transaction of the writer, with their histories.</summary>
    public Task SaveManyAsync(IReadOnlyList<Case> cases) => _store.WriteAsync(connection =>
    {
        using var commands = new CaseCommands(connection);
        foreach (var @case in cases) commands.Write(@case, @case.History);
    });

    /// <summary>
    /// The two statements of a case write, prepared once and bound again for every case: a bulk load of a million cases
    /// spends most of its time preparing statements otherwise.
    /// </summary>
    private sealed class CaseCommands : IDisposable
    {
        private readonly DbCommand _case;
        private readonly DbCommand _event;

        public CaseCommands(DbConnection connection)
        {
            _case = connection.CreateCommand();
            _case.CommandText = """
                INSERT INTO cases (id, state, source, type, category, department, grid, district, lat, lon, reported_at, filed_at,
                    dispatched_at, handled_at, closed_at, due_at, warned, overdue, late_steps, rework_count, on_time, updated_at,
                    verifier, next_check, data)
                VALUES (@id, @state, @source, @type, @category, @department, @grid, @district, @lat, @lon, @reported, @filed,
                    @dispatched, @handled, @closed, @due, @warned, @overdue, @late, @rework, @onTime, @updated, @verifier, @next, @data)
                ON CONFLICT (id) DO UPDATE SET state = @state, type = @type, category = @category, department = @department,
                    grid = @grid, district = @district, lat = @lat, lon = @lon, filed_at = @filed, dispatched_at = @dispatched,
                    handled_at = @handled, closed_at = @closed, due_at = @due, warned = @warned, overdue = @overdue,
                    late_steps = @late, rework_count = @rework, on_time = @onTime, updated_at = @updated, verifier = @verifier,
                    next_check = @next, data = @data
                """;
            foreach (var name in (string[])["@id", "@state", "@source", "@type", "@category", "@department", "@grid", "@district", "@lat", "@lon",
                         "@reported", "@filed", "@dispatched", "@handled", "@closed", "@due", "@warned", "@overdue", "@late", "@rework", "@onTime",
                         "@updated", "@verifier", "@next", "@data"])
                _case.With(name, null);
            _event = connection.CreateCommand();
            _event.CommandText = """
                INSERT INTO case_events (case_id, seq, at, who, action, from_state, to_state, note)
                VALUES (@case, @seq, @at, @who, @action, @from, @to, @note)
                """;
            foreach (var name in (string[])["@case", "@seq", "@at", "@who", "@action", "@from", "@to", "@note"])
                _event.With(name, null);
        }

        public void Write(Case @case, IReadOnlyList<CaseEvent> added)
        {
            var p = _case.Parameters;
            p["@id"].Value = @case.Id;
            p["@state"].Value = @case.State.ToString();
            p["@source"].Value = @case.Source.ToString();
            p["@type"].Value = @case.Type.ToString();
            p["@category"].Value = @case.Category;
            p["@department"].Value = @case.Department;
            p["@grid"].Value = (object?)@case.Grid ?? DBNull.Value;
            p["@district"].Value = @case.District;
            p["@lat"].Value = (object?)@case.Position?.Lat ?? DBNull.Value;
            p["@lon"].Value = (object?)@case.Position?.Lon ?? DBNull.Value;
            p["@reported"].Value = Ms(@case.ReportedAt);
            p["@filed"].Value = Ms(@case.FiledAt);
            p["@dispatched"].Value = Ms(@case.DispatchedAt);
            p["@handled"].Value = Ms(@case.HandledAt);
            p["@closed"].Value = Ms(@case.ClosedAt);
            p["@due"].Value = Ms(@case.DueAt);
            p["@warned"].Value = @case.Warned ? 1 : 0;
            p["@overdue"].Value = @case.Overdue ? 1 : 0;
            p["@late"].Value = @case.LateSteps;
            p["@rework"].Value = @case.ReworkCount;
            p["@onTime"].Value = @case.OnTime is { } onTime ? onTime ? 1 : 0 : DBNull.Value;
            p["@updated"].Value = Ms(@case.UpdatedAt);
            p["@verifier"].Value = (object?)@case.Verifier ?? DBNull.Value;
            p["@next"].Value = Ms(NextCheck(@case));
            p["@data"].Value = JsonSerializer.Serialize(@case with { History = [] }, SqliteGrainStorage.Json);
            _case.ExecuteNonQuery();
            foreach (var e in added)
            {
                var q = _event.Parameters;
                q["@case"].Value = @case.Id;
                q["@seq"].Value = e.Seq;
                q["@at"].Value = Ms(e.At);
                q["@who"].Value = e.Who;
                q["@action"].Value = e.Action;
                q["@from"].Value = (object?)e.From?.ToString() ?? DBNull.Value;
                q["@to"].Value = e.To.ToString();
                q["@note"].Value = (object?)e.Note ?? DBNull.Value;
                _event.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            _case.Dispose();
            _event.Dispose();
        }
    }

    /// <summary>The next moment the deadline watch must look at the case: its warning, then its deadline; none once flagged or finished.</summary>
    public static DateTimeOffset? NextCheck(Case @case) =>
        !CaseSteps.IsOpen(@case.State) ? null : !@case.Warned ? @case.WarnAt ?? @case.DueAt : !@case.Overdue ? @case.DueAt : null;

    public async Task<Case?> FindAsync(string id) => await _store.ReadAsync(connection =>
    {
        var found = Cases(connection, "SELECT data FROM cases WHERE id = @id", c => c.With("@id", id)).FirstOrDefault();
        if (found is null) return null;
        using var command = connection.Command("SELECT seq, at, who, action, from_state, to_state, note FROM case_events WHERE case_id = @id ORDER BY seq")
            .With("@id", id);
        using var reader = command.ExecuteReader();
        var history = new List<CaseEvent>();
        while (reader.Read())
            history.Add(new(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), FromMs(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : Enum.Parse<CaseState>(reader.GetString(4)), Enum.Parse<CaseState>(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        return found with { History = history };
    });

    /// <summary>One page, newest first, without histories.</summary>
    public Task<CasePage> ListAsync(CaseQuery query) => _store.ReadAsync(connection =>
    {
        var where = new List<string>();
        var values = new List<(string, object)>();
        void Add(string clause, string name, object value) { where.Add(clause); values.Add((name, value)); }
        if (query.State is { } state) Add("state = @state", "@state", state.ToString());
        if (query.Department is { } department) Add("department = @department", "@department", department);
        if (query.Category is { } category) Add("category = @category", "@category", category);
        if (query.Source is { } source) Add("source = @source", "@source", source.ToString());
        if (query.Grid is { } grid) Add("grid = @grid", "@grid", grid);
        if (query.Overdue is { } overdue) where.Add(overdue ? "overdue = 1" : "overdue = 0");
        if (query.After is { } after)
        {
            where.Add("(reported_at < @afterAt OR (reported_at = @afterAt AND id < @afterId))");
            values.Add(("@afterAt", after.ReportedAt));
            values.Add(("@afterId", after.Id));
        }
        var limit = Math.Clamp(query.Limit, 1, 500);
        var sql = "SELECT data FROM cases" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY reported_at DESC, id DESC LIMIT @limit";
        var cases = Cases(connection, sql, c =>
        {
            foreach (var (name, value) in values) c.With(name, value);
            c.With("@limit", limit + 1);
        });
        var more = cases.Count > limit;
        if (more) cases.RemoveAt(limit);
        return new CasePage(cases, more ? new CaseCursor(Ms(cases[^1].ReportedAt), cases[^1].Id) : null);
    });

    /// <summary>Handled cases waiting for <paramref name="inspector"/>'s check on site, oldest first.</summary>
    public Task<List<Case>> ToVerifyAsync(string inspector, int limit) => _store.ReadAsync(connection =>
        Cases(connection, "SELECT data FROM cases WHERE state = 'Handled' AND verifier = @who ORDER BY reported_at LIMIT @limit",
            c => c.With("@who", inspector).With("@limit", limit)));

    /// <summary>Open cases past their deadline, the longest overdue first.</summary>
    public Task<List<Case>> OverdueAsync(int limit) => _store.ReadAsync(connection =>
        Cases(connection, "SELECT data FROM cases WHERE overdue = 1 ORDER BY due_at LIMIT @limit", c => c.With("@limit", limit)));

    /// <summary>How many open cases are past their deadline now (the command wall's figure).</summary>
    public Task<long> OverdueCountAsync() => _store.ReadAsync(connection =>
    {
        using var command = connection.Command("SELECT COUNT(*) FROM cases WHERE overdue = 1");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    /// <summary>The cases whose next check is due by <paramref name="until"/>, and the earliest check after the batch.</summary>
    public Task<(List<string> Due, DateTimeOffset? Next)> ChecksAsync(DateTimeOffset until, int limit) => _store.ReadAsync(connection =>
    {
        using var command = connection.Command("SELECT id, next_check FROM cases WHERE next_check IS NOT NULL ORDER BY next_check LIMIT @limit")
            .With("@limit", limit);
        using var reader = command.ExecuteReader();
        var due = new List<string>();
        DateTimeOffset? next = null;
        while (reader.Read())
        {
            var at = reader.GetInt64(1);
            if (at <= Ms(until)) due.Add(reader.GetString(0));
            else { next = FromMs(at); break; }
        }
        return (due, next);
    });

    private static List<Case> Cases(DbConnection connection, string sql, Action<DbCommand> parameters)
    {
        using var command = connection.Command(sql);
        parameters(command);
        using var reader = command.ExecuteReader();
        var cases = new List<Case>();
        while (reader.Read()) cases.Add(JsonSerializer.Deserialize<Case>(reader.GetString(0), SqliteGrainStorage.Json)!);
        return cases;
    }

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
    private static object Ms(DateTimeOffset? at) => at is { } a ? a.ToUnixTimeMilliseconds() : DBNull.Value;
    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

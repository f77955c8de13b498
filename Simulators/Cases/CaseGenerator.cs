using System.Diagnostics;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Districts;
using CommandCenter.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Simulators.Cases;

/// <summary>
/// A year of city-management cases for measuring lists and statistics at scale, written into the command center's
/// own database file through its case store (the same rows, JSON and history lines the workflow writes). Cases follow
/// the seven steps with times drawn per department: each department has its own speed, share of late handling and
/// share of failed verifications, so the evaluation tables differ from row to row. The same seed gives the same cases.
/// </summary>
public sealed class CaseGenerator(int count, string dataDirectory, DateTimeOffset end, int seed = 12319)
{
    public static readonly TimeSpan Span = TimeSpan.FromDays(365);
    private const int BatchSize = 5000;

    /// <summary>How one department works: its pace against the deadline, and how often it runs late or fails a check.</summary>
    private sealed record Profile(double Pace, double LateShare, double ReworkShare);

    private static readonly (CaseSource Source, double Weight)[] Sources =
        [(CaseSource.Inspector, 0.55), (CaseSource.Hotline, 0.25), (CaseSource.Open311, 0.10), (CaseSource.Video, 0.06), (CaseSource.Alert, 0.04)];

    private readonly Random _random = new(seed);
    private readonly Dictionary<string, int> _daySerials = [];
    private readonly Dictionary<string, int> _componentSerials = [];

    /// <summary>Writes the cases; returns how long it took.</summary>
    public async Task<TimeSpan> RunAsync(Action<string>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        var options = Options.Create(new CaseOptions());
        var categories = new CaseCategories(options);
        var grid = new GridCells(options);
        var departments = new Departments(options).All.Select(d => d.Code).ToList();
        var profiles = departments.Select((code, i) => (code, profile: new Profile(
            Pace: 0.25 + 0.08 * (i % 6), LateShare: 0.03 + 0.035 * ((i * 5) % 7), ReworkShare: 0.02 + 0.025 * ((i * 3) % 6))))
            .ToDictionary(p => p.code, p => p.profile);
        // Common problems come up far more often than rare ones: weights falling along the table, events before components.
        var weighted = categories.All.OrderBy(c => c.Type == CaseType.Event ? 0 : 1).Select((c, i) => (c, w: 1.0 / (1 + i * 0.35))).ToList();

        await using var store = new SqliteStore(Options.Create(new StorageOptions { DataDirectory = dataDirectory }),
            NullLogger<SqliteStore>.Instance);
        var cases = new CaseStore(store);
        Task previous = Task.CompletedTask;
        for (var done = 0; done < count;)
        {
            var batch = new List<Case>(Math.Min(BatchSize, count - done));
            for (var i = 0; i < batch.Capacity; i++)
            {
                var reportedAt = end - Span + TimeSpan.FromMilliseconds(_random.NextDouble() * Span.TotalMilliseconds);
                var category = Pick(weighted);
                batch.Add(Make(reportedAt, category, Pick(Sources), profiles[category.Department], grid));
            }
            // One batch is generated while the previous one is written.
            await previous;
            previous = cases.SaveManyAsync(batch);
            done += batch.Count;
            if (done % 100_000 < BatchSize) progress?.Invoke($"{done:N0} cases, {watch.Elapsed.TotalSeconds:0.0} s");
        }
        await previous;
        await store.WriteAsync(connection => KeepSequences(connection));
        return watch.Elapsed;
    }

    private Case Make(DateTimeOffset reportedAt, CaseCategory category, CaseSource source, Profile profile, GridCells grid)
    {
        var place = Place();
        var cell = grid.CellOf(place);
        var district = cell?.District ?? DistrictMap.CodeOf(place);
        var day = reportedAt.ToOffset(CaseStore.CityOffset).ToString("yyyyMMdd");
        var serial = _daySerials[day] = _daySerials.GetValueOrDefault(day) + 1;
        var history = new List<CaseEvent>();
        var state = CaseState.Reported;
        var @case = new Case
        {
            Id = $"C{day}{serial:D6}", Source = source, State = state, Type = category.Type, Category = category.Code,
            Description = $"{category.NameZh} {category.NameEn}", Address = cell is null ? null : $"网格 {cell.Code}",
            Position = place, Grid = cell?.Code, District = district, Department = category.Department, ReportedAt = reportedAt,
            UpdatedAt = reportedAt, Verifier = cell?.Inspector ?? "inspector",
            Reporter = source == CaseSource.Hotline ? new CaseReporter("市民 Caller", "1390943" + _random.Next(1000, 9999), null) : null,
        };
        var who = source == CaseSource.Inspector ? @case.Verifier! : source == CaseSource.Hotline ? "operator" : "system";
        var now = reportedAt;
        var lateSteps = 0;
        void Log(string by, string action, CaseState to, string? note = null)
        {
            history.Add(new CaseEvent(history.Count + 1, now, by, action, history.Count == 0 ? null : state, to, note));
            state = to;
        }
        Log(who, "report", CaseState.Reported, $"{source}: {category.Code}");

        // Each step: the time it takes, and whether it has happened by the end of the generated period.
        bool Next(TimeSpan deadline, double pace, double lateShare)
        {
            var late = _random.NextDouble() < lateShare;
            var took = deadline * (late ? 1.05 + 2 * _random.NextDouble() : pace * (0.2 + 1.4 * _random.NextDouble()));
            if (took >= deadline) late = true;
            if (now + took > end)
            {
                // Still in this step at the end: overdue if its deadline has passed, as the deadline watch would have flagged it.
                var due = now + deadline;
                @case = @case with
                {
                    DueAt = due, WarnAt = now + deadline * 0.8, Warned = end >= now + deadline * 0.8, Overdue = end >= due, LateSteps = lateSteps,
                };
                return false;
            }
            now += took;
            if (late) lateSteps++;
            return true;
        }

        var d = category.Deadlines;
        Case Finish(Case c) => c with { State = state, History = history, LateSteps = lateSteps, UpdatedAt = now };
        if (!Next(d.File, 0.4, 0.01)) return Finish(@case);
        if (_random.NextDouble() < 0.06)
        {
            Log("operator", "cancel", CaseState.Cancelled, "无效 Not a city-management case");
            return Finish(@case with { DueAt = null, WarnAt = null });
        }
        string? code = null;
        if (category.Type == CaseType.Component && district != DistrictMap.Unknown)
        {
            var prefix = $"{district}{category.Major}{category.Minor}";
            code = $"{prefix}{_componentSerials[prefix] = _componentSerials.GetValueOrDefault(prefix) + 1:D6}";
        }
        Log("operator", "file", CaseState.Filed, code is null ? $"event {category.Code}" : $"component {code}");
        @case = @case with { FiledAt = now, ComponentCode = code };
        if (!Next(d.Dispatch, 0.4, 0.02)) return Finish(@case);
        Log("operator", "dispatch", CaseState.Dispatched, $"to {category.Department}");
        @case = @case with { DispatchedAt = now };
        var rework = 0;
        while (true)
        {
            if (!Next(d.Handle, profile.Pace, profile.LateShare)) return Finish(@case with { ReworkCount = rework });
            Log(category.Department, "handle", CaseState.Handled, "已处置 Done");
            @case = @case with { HandledAt = now, ReworkCount = rework };
            if (!Next(d.Verify, 0.35, 0.02)) return Finish(@case);
            if (rework < 2 && _random.NextDouble() < profile.ReworkShare)
            {
                rework++;
                Log(@case.Verifier!, "verify-failed", CaseState.Returned, "核查未通过 Not fixed");
                @case = @case with { ReworkCount = rework };
                continue;
            }
            Log(@case.Verifier!, "verify-passed", CaseState.Closed);
            @case = @case with { ClosedAt = now, DueAt = null, WarnAt = null, Warned = false, Overdue = false };
            if (_random.NextDouble() < 0.3)
            {
                var score = 3 + _random.Next(3) - (lateSteps > 0 ? 1 : 0);
                @case = @case with { Evaluation = new CaseEvaluation(score, null, "operator", now) };
                Log("operator", "evaluate", CaseState.Closed, $"score {score}");
            }
            return Finish(@case);
        }
    }

    /// <summary>Most cases in the city of Baiyin, the rest anywhere in the county-level districts.</summary>
    private GeoPoint Place()
    {
        if (_random.NextDouble() < 0.75)
            return new GeoPoint(36.545 + Gaussian() * 0.035, 104.175 + Gaussian() * 0.045);
        var district = DistrictMap.Baiyin[_random.Next(DistrictMap.Baiyin.Count)];
        return new GeoPoint(district.South + _random.NextDouble() * (district.North - district.South),
            district.West + _random.NextDouble() * (district.East - district.West));
    }

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private T Pick<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var roll = _random.NextDouble() * items.Sum(i => i.Weight);
        foreach (var (item, weight) in items)
            if ((roll -= weight) <= 0) return item;
        return items[^1].Item;
    }

    /// <summary>
    /// Moves the store's id and component sequences past the generated serials, so cases reported later never take an
    /// id or a component code the generator used.
    /// </summary>
    private void KeepSequences(SqliteConnection connection)
    {
        foreach (var (name, value) in _daySerials.Select(s => ($"case:{s.Key}", s.Value)).Concat(_componentSerials.Select(s => ($"component:{s.Key}", s.Value))))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO case_sequences (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = max(value, $value)";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }
    }
}

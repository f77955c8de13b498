using System.Diagnostics;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The case list over many cases in the real embedded store: pages by keyset with each filter of the operators' page,
/// against the same deep page read by OFFSET as the baseline. CASE_LIST_BENCH=1000000 sets the number of cases.
/// </summary>
public sealed class CaseListBenchmark(ITestOutputHelper output)
{
    private const int Rounds = 20;

    [BenchmarkFact("CASE_LIST_BENCH")]
    public async Task Pages_of_the_case_list_read_only_their_rows_at_any_depth()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("CASE_LIST_BENCH")!);
        var directory = Directory.CreateTempSubdirectory("case-list-bench-").FullName;
        await using var sqlite = new SqliteStore(Options.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteStore>.Instance);
        var store = new CaseStore(sqlite);

        var loading = Stopwatch.StartNew();
        var random = new Random(7);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var departments = Departments.Defaults.Select(d => d.Code).ToArray();
        var states = Enum.GetValues<CaseState>();
        for (var done = 0; done < count;)
        {
            var batch = new List<Case>(10_000);
            for (var i = 0; i < 10_000 && done < count; i++, done++)
            {
                var reported = start + TimeSpan.FromSeconds(done * 30.0 + random.Next(30));
                var state = states[random.Next(states.Length)];
                batch.Add(new Case
                {
                    Id = $"C{reported.ToOffset(CaseStore.CityOffset):yyyyMMdd}{done:D7}", Source = (CaseSource)random.Next(5), State = state,
                    Type = CaseType.Event, Category = "event-0101", Description = "暴露垃圾 exposed rubbish", Address = "白银区",
                    Position = new GeoPoint(36.4 + random.NextDouble() * 0.3, 104.0 + random.NextDouble() * 0.4), District = "620402",
                    Grid = $"620402-0{random.Next(8)}-0{random.Next(9)}", Department = departments[random.Next(departments.Length)],
                    ReportedAt = reported, UpdatedAt = reported, Overdue = CaseSteps.IsOpen(state) && random.Next(50) == 0,
                    DueAt = CaseSteps.IsOpen(state) ? reported.AddHours(4) : null, Warned = true,
                });
            }
            await store.SaveManyAsync(batch);
        }
        output.WriteLine($"{count:N0} cases stored in {loading.Elapsed.TotalSeconds:0.0} s");

        var middle = (await store.ListAsync(new CaseQuery(Limit: 1, After: new CaseCursor(CaseStore.Ms(start + TimeSpan.FromSeconds(count * 15.0)), "C~")))).Cases[0];
        var deep = new CaseCursor(CaseStore.Ms(middle.ReportedAt), middle.Id);
        var queries = new (string Name, Func<Task<int>> Run)[]
        {
            ("first page", async () => (await store.ListAsync(new CaseQuery())).Cases.Count),
            ("state=Dispatched", async () => (await store.ListAsync(new CaseQuery(State: CaseState.Dispatched))).Cases.Count),
            ("department=sanitation", async () => (await store.ListAsync(new CaseQuery(Department: "sanitation"))).Cases.Count),
            ("overdue", async () => (await store.ListAsync(new CaseQuery(Overdue: true))).Cases.Count),
            ("state+department", async () => (await store.ListAsync(new CaseQuery(State: CaseState.Handled, Department: "roads"))).Cases.Count),
            ("keyset page at half depth", async () => (await store.ListAsync(new CaseQuery(After: deep))).Cases.Count),
            ("OFFSET page at half depth (baseline)", () => sqlite.ReadAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT data FROM cases ORDER BY reported_at DESC, id DESC LIMIT 50 OFFSET $offset";
                command.Parameters.AddWithValue("$offset", count / 2);
                using var reader = command.ExecuteReader();
                var rows = 0;
                while (reader.Read()) rows++;
                return rows;
            })),
        };
        var medians = new Dictionary<string, double>();
        foreach (var (name, run) in queries)
        {
            await run();
            var times = new List<double>();
            for (var i = 0; i < Rounds; i++)
            {
                var watch = Stopwatch.StartNew();
                Assert.Equal(50, await run());
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            medians[name] = Percentiles.Of(times, 50);
            output.WriteLine($"{name}: p50 {Percentiles.Of(times, 50):0.00} ms, p95 {Percentiles.Of(times, 95):0.00} ms");
        }
        output.WriteLine($"OFFSET ÷ keyset at half depth: {medians["OFFSET page at half depth (baseline)"] / medians["keyset page at half depth"]:0}×");
        Directory.Delete(directory, recursive: true);
    }
}

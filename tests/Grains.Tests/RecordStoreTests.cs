using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Cases.Statistics;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Tests;

/// <summary>The record stores, the same statements against each provider: the embedded SQLite file and a real PostgreSQL.</summary>
public sealed class RecordStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened) await opened.DisposeAsync();
    }

    public static TheoryData<string> Providers => new() { "sqlite", "postgresql" };

    private async Task<IRecordDatabase> Open(string provider)
    {
        IRecordDatabase database = provider == "sqlite"
            ? new SqliteStore(Options.Create(new StorageOptions { DataDirectory = Directory.CreateTempSubdirectory("records-test-").FullName }),
                NullLogger<SqliteStore>.Instance)
            : new PostgreSqlRecordDatabase(Options.Create(new StorageOptions { PostgreSql = await postgres.CreateDatabase() }),
                NullLogger<PostgreSqlRecordDatabase>.Instance);
        _opened.Add((IAsyncDisposable)database);
        return database;
    }

    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.FromHours(8));

    private static Alert Alert(string id, string device, AlertState state, DateTimeOffset at) => new(id, new AlertKey(DeviceKind.Sensor, device, "exceed-pm25"),
        Network.Environment, AlertSeverity.Major, state, "PM2.5 超标", new GeoPoint(36.5, 104.1), at, at, 1, 120, 75, "µg/m³", null, null, null, null);

    [Theory, MemberData(nameof(Providers))]
    public async Task Alerts_are_saved_updated_found_and_listed_newest_first(string provider)
    {
        var store = new AlertStore(await Open(provider));
        await store.SaveAsync(Alert("a1", "s1", AlertState.ActiveUnacknowledged, T0));
        await store.SaveAsync(Alert("a2", "s2", AlertState.ActiveUnacknowledged, T0.AddMinutes(1)));
        await store.SaveAsync(Alert("a1", "s1", AlertState.Cleared, T0) with { LastAt = T0.AddMinutes(5), ClearedBy = "张三" });

        Assert.Equal("张三", (await store.FindAsync("a1"))!.ClearedBy);
        Assert.Null(await store.FindOpenAsync(new AlertKey(DeviceKind.Sensor, "s1", "exceed-pm25")));
        Assert.Equal("a2", (await store.FindOpenAsync(new AlertKey(DeviceKind.Sensor, "s2", "exceed-pm25")))!.Id);
        Assert.Equal(["a1", "a2"], (await store.ListAsync(AlertFilter.All, 10)).Select(a => a.Id));
        Assert.Equal(["a2"], (await store.ListAsync(AlertFilter.Active, 10)).Select(a => a.Id));
        Assert.Equal(["a1"], (await store.ListAsync(AlertFilter.Cleared, 10)).Select(a => a.Id));
        Assert.Single(await store.ListAsync(AlertFilter.All, 1));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Incidents_are_listed_by_state_newest_first(string provider)
    {
        var store = new IncidentStore(await Open(provider));
        Incident Incident(string id, IncidentState state, DateTimeOffset at) => new(id, IncidentType.Accident, 2, new GeoPoint(36.5, 104.1), "交通事故",
            null, state, at, "dispatcher", [], [], [], [new TimelineEntry(at, "dispatcher", "opened")]);
        await store.SaveAsync(Incident("i1", IncidentState.Open, T0));
        await store.SaveAsync(Incident("i2", IncidentState.Open, T0.AddMinutes(1)));
        await store.SaveAsync(Incident("i1", IncidentState.Closed, T0) with { Report = "处理完毕" });

        Assert.Equal("处理完毕", (await store.FindAsync("i1"))!.Report);
        Assert.Equal(["i2", "i1"], (await store.ListAsync(null, 10)).Select(i => i.Id));
        Assert.Equal(["i2"], (await store.ListAsync(IncidentState.Open, 10)).Select(i => i.Id));
        Assert.Equal(["i1"], (await store.ListAsync(IncidentState.Closed, 10)).Select(i => i.Id));
    }

    private static Case Case(string id, DateTimeOffset reported, string department = "sanitation") => new()
    {
        Id = id, Source = CaseSource.Hotline, State = CaseState.Reported, Type = CaseType.Event, Category = "event-0101", Description = "垃圾堆放",
        Grid = "620402-03-04", District = "620402", Department = department, ReportedAt = reported, UpdatedAt = reported,
        Position = new GeoPoint(36.5, 104.1),
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task Cases_keep_their_history_page_by_keyset_and_count_ids_per_day(string provider)
    {
        var store = new CaseStore(await Open(provider));
        Assert.Equal("C20250303000001", await store.NextIdAsync(T0));
        Assert.Equal("C20250303000002", await store.NextIdAsync(T0));
        Assert.Equal("C20250304000001", await store.NextIdAsync(T0.AddDays(1)));

        var first = Case("C20250303000001", T0);
        await store.SaveAsync(first, [new CaseEvent(1, T0, "hotline", "report", null, CaseState.Reported)]);
        var filed = first with { State = CaseState.Filed, FiledAt = T0.AddMinutes(5), DueAt = T0.AddHours(1), Overdue = true };
        await store.SaveAsync(filed, [new CaseEvent(2, T0.AddMinutes(5), "受理员", "file", CaseState.Reported, CaseState.Filed, "立案")]);
        await store.SaveManyAsync([.. Enumerable.Range(2, 5).Select(i => Case($"C2025030300000{i}", T0.AddMinutes(i)))]);

        var found = await store.FindAsync(first.Id);
        Assert.Equal(CaseState.Filed, found!.State);
        Assert.Equal([CaseState.Reported, CaseState.Filed], found.History.Select(e => e.To));
        Assert.Equal("立案", found.History[1].Note);

        var page = await store.ListAsync(new CaseQuery(Limit: 4));
        Assert.Equal(["C20250303000006", "C20250303000005", "C20250303000004", "C20250303000003"], page.Cases.Select(c => c.Id));
        var next = await store.ListAsync(new CaseQuery(Limit: 4, After: page.Next));
        Assert.Equal(["C20250303000002", "C20250303000001"], next.Cases.Select(c => c.Id));
        Assert.Null(next.Next);
        Assert.Equal(["C20250303000001"], (await store.ListAsync(new CaseQuery(State: CaseState.Filed))).Cases.Select(c => c.Id));
        Assert.Equal(1, await store.OverdueCountAsync());
        Assert.Equal(["C20250303000001"], (await store.OverdueAsync(10)).Select(c => c.Id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Statistics_count_a_period_by_department(string provider)
    {
        var database = await Open(provider);
        await new CaseStore(database).SaveManyAsync(
        [
            Case("C1", T0) with { State = CaseState.Closed, DispatchedAt = T0.AddHours(1), HandledAt = T0.AddHours(5), ClosedAt = T0.AddHours(6) },
            Case("C2", T0) with { State = CaseState.Cancelled },
            Case("C3", T0, "roads") with { Overdue = true },
            Case("C4", T0.AddDays(-40), "roads"),
        ]);
        await database.WriteAsync(connection => connection.Execute(database.Dialect.RefreshStatistics));
        var report = await database.ReadAsync(connection =>
            StatisticsQuery.Compute(connection, database.Dialect, T0.AddDays(-1), T0.AddDays(1), StatisticsGrouping.Department));

        Assert.Equal((3L, 1L, 1L, 1L, 1L), (report.Total.Reported, report.Total.Cancelled, report.Total.Closed, report.Total.ClosedOnTime, report.Total.Overdue));
        Assert.Equal(["sanitation", "roads"], report.Rows.Select(r => r.Key));
        Assert.Equal(4.0, report.Rows[0].AverageHandlingHours);
        Assert.Equal(6.0, report.Rows[0].AverageCloseHours);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_write_that_fails_fails_alone_and_the_rest_of_its_batch_commits(string provider)
    {
        var database = await Open(provider);
        var store = new AlertStore(database);
        // Queued together, so one transaction holds them all; the middle one breaks a NOT NULL column.
        var writes = Enumerable.Range(0, 20).Select(i => i == 10
            ? database.WriteAsync(connection => connection.Execute("INSERT INTO incidents (id, state, opened_at, data) VALUES ('x', 0, NULL, '{}')"))
            : store.SaveAsync(Alert($"a{i}", $"s{i}", AlertState.ActiveUnacknowledged, T0.AddSeconds(i)))).ToList();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => writes[10]);
        await Task.WhenAll(writes.Where((_, i) => i != 10));
        Assert.Equal(19, (await store.ListAsync(AlertFilter.All, 100)).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Glob_patterns_match_the_same_keys_in_both_dialects(string provider)
    {
        var database = await Open(provider);
        var store = new AlertStore(database);
        await store.SaveAsync(Alert("a1", "s_1", AlertState.ActiveUnacknowledged, T0));
        await store.SaveAsync(Alert("a2", "s%2", AlertState.ActiveUnacknowledged, T0) with { Key = new AlertKey(DeviceKind.Sensor, "s%2", "offline") });
        await store.SaveAsync(Alert("a3", "sX1", AlertState.ActiveUnacknowledged, T0));
        var dialect = database.Dialect;
        var ids = await database.ReadAsync(connection =>
        {
            using var command = connection.Command($"SELECT id FROM alerts WHERE {dialect.Glob("grain_key", "@p")} ORDER BY id")
                .With("@p", dialect.GlobPattern("sensor/s_1/exceed-*"));
            using var reader = command.ExecuteReader();
            var found = new List<string>();
            while (reader.Read()) found.Add(reader.GetString(0));
            return found;
        });
        Assert.Equal(["a1"], ids);
    }
}

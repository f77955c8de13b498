using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CommandCenter.Grains.Tests;

/// <summary>The seven steps on a real silo over real SQLite, with the silo's clock moved by the test for deadlines.</summary>
public sealed class CaseTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint InBaiyin = new(36.545, 104.175);
    private static readonly CaseActor Operator = new("operator");

    private static Task<GrainCluster> StartCluster(string? dataDirectory = null) =>
        GrainCluster.Start(dataDirectory, new Dictionary<string, string?> { [GrainCluster.FakeClockStart] = Start.ToString("O") });

    private static T Service<T>(GrainCluster cluster) where T : notnull =>
        ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services.GetRequiredService<T>();

    private static async Task<Case> Report(GrainCluster cluster, string category = "event-0101")
    {
        var result = await Service<CaseIntake>(cluster).ReportAsync(
            new NewCase(CaseSource.Hotline, category, "垃圾堆在路边 rubbish by the road", "白银区人民路", InBaiyin, new("张三", "13800000000", null)), "operator");
        Assert.True(result.Ok, result.Detail);
        return result.Case!;
    }

    [Fact]
    public async Task A_component_case_lives_through_rework_to_its_evaluation_with_every_step_in_its_stored_history()
    {
        await using var cluster = await StartCluster();
        var reported = await Report(cluster, "component-0101");
        Assert.Matches("^C20260302[0-9]{6}$", reported.Id);
        Assert.Equal("620402", reported.District);
        Assert.NotNull(reported.Grid);
        Assert.Equal("water", reported.Department);
        var grain = cluster.Grains.GetGrain<ICaseGrain>(reported.Id);

        var filed = (await grain.File(new CaseFiling(null, "有效 valid"), Operator)).Case!;
        Assert.Equal(CaseState.Filed, filed.State);
        Assert.Matches("^6204020101[0-9]{6}$", filed.ComponentCode!);
        Assert.Equal(CaseState.Dispatched, (await grain.Dispatch(null, null, null, Operator)).Case!.State);
        Assert.Equal(CaseState.Handled, (await grain.Handle("已更换井盖 cover replaced", ["https://example.org/after.jpg"], new("water-user", "water"))).Case!.State);
        var returned = (await grain.Verify(false, "井盖松动 cover loose", [], new("inspector"))).Case!;
        Assert.Equal((CaseState.Returned, 1), (returned.State, returned.ReworkCount));
        Assert.Equal(CaseState.Handled, (await grain.Handle("已加固 fixed firmly", [], new("water-user", "water"))).Case!.State);
        var closed = (await grain.Verify(true, null, [], new("inspector"))).Case!;
        Assert.Equal(CaseState.Closed, closed.State);
        Assert.True(closed.OnTime);
        Assert.True((await grain.Evaluate(4, "满意", Operator)).Ok);
        Assert.Equal(CaseError.Conflict, (await grain.Evaluate(5, null, Operator)).Error);

        var stored = await Service<CaseStore>(cluster).FindAsync(reported.Id);
        Assert.Equal(["report", "file", "dispatch", "handle", "verify-failed", "handle", "verify-passed", "evaluate"], stored!.History.Select(e => e.Action));
        Assert.Equal((1, 4), (stored.ReworkCount, stored.Evaluation!.Score));
    }

    [Fact]
    public async Task Steps_out_of_order_are_refused_and_change_nothing()
    {
        await using var cluster = await StartCluster();
        var reported = await Report(cluster);
        var grain = cluster.Grains.GetGrain<ICaseGrain>(reported.Id);

        Assert.Equal(CaseError.Conflict, (await grain.Close(null, Operator)).Error);
        Assert.Equal(CaseError.Conflict, (await grain.Dispatch("sanitation", null, null, Operator)).Error);
        Assert.Equal(CaseError.Invalid, (await grain.File(new CaseFiling("no-such-category", null), Operator)).Error);
        Assert.True((await grain.Cancel("重复 duplicate", Operator)).Ok);
        Assert.Equal(CaseError.Conflict, (await grain.Verify(true, null, [], new("inspector"))).Error);
        Assert.Equal(CaseError.Conflict, (await grain.Supervise("快办", Operator)).Error);

        var stored = await Service<CaseStore>(cluster).FindAsync(reported.Id);
        Assert.Equal(CaseState.Cancelled, stored!.State);
        Assert.Equal(["report", "cancel"], stored.History.Select(e => e.Action));
    }

    [Fact]
    public async Task A_department_user_handles_only_its_own_departments_cases()
    {
        await using var cluster = await StartCluster();
        var grain = cluster.Grains.GetGrain<ICaseGrain>((await Report(cluster)).Id);
        await grain.File(new CaseFiling(null, null), Operator);
        await grain.Dispatch(null, null, null, Operator);

        Assert.Equal(CaseError.Forbidden, (await grain.Handle("done", [], new("gas-user", "gas"))).Error);
        Assert.True((await grain.Reassign("gas", "燃气管道 gas pipe", Operator)).Ok);
        Assert.Equal(CaseState.Handled, (await grain.Handle("done", [], new("gas-user", "gas"))).Case!.State);
    }

    [Fact]
    public async Task A_case_nobody_looks_at_is_warned_at_80_percent_and_flagged_overdue_at_its_deadline_also_after_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("cases-deadline-").FullName;
        string id;
        await using (var cluster = await StartCluster(data))
        {
            // event-0101 (exposed rubbish): filing is due within the default 1 h; warned at 48 min.
            id = (await Report(cluster)).Id;
            var store = Service<CaseStore>(cluster);
            cluster.FakeClock.Advance(TimeSpan.FromMinutes(47));
            Assert.False((await store.FindAsync(id))!.Warned);
            cluster.FakeClock.Advance(TimeSpan.FromMinutes(2));
            await GrainCluster.Eventually(() => store.FindAsync(id), c => c!.Warned, TimeSpan.FromSeconds(10), "warned");
            Assert.False((await store.FindAsync(id))!.Overdue);
            // Filed late: the dispatch clock (1 h) starts, the late filing is counted.
            cluster.FakeClock.Advance(TimeSpan.FromMinutes(20));
            var filed = (await cluster.Grains.GetGrain<ICaseGrain>(id).File(new CaseFiling(null, null), Operator)).Case!;
            Assert.Equal((1, false, false), (filed.LateSteps, filed.Warned, filed.Overdue));
        }

        // Nobody is running while the dispatch deadline passes; the silo comes back on a later clock.
        var later = Start + TimeSpan.FromHours(3);
        await using var restarted = await GrainCluster.Start(data, new Dictionary<string, string?> { [GrainCluster.FakeClockStart] = later.ToString("O") });
        var again = Service<CaseStore>(restarted);
        var overdue = await GrainCluster.Eventually(() => again.FindAsync(id), c => c!.Overdue, TimeSpan.FromSeconds(10), "flagged overdue after the restart");
        Assert.Contains(overdue!.History, e => e.Action == "overdue");
        Assert.Contains(id, (await again.ListAsync(new CaseQuery(Overdue: true))).Cases.Select(c => c.Id));
    }

    [Fact]
    public async Task The_list_pages_by_keyset_newest_first_through_every_case_once()
    {
        await using var cluster = await StartCluster();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await Report(cluster)).Id);
            cluster.FakeClock.Advance(TimeSpan.FromSeconds(i % 2)); // some share a report time: the id breaks the tie
        }
        var store = Service<CaseStore>(cluster);
        var seen = new List<string>();
        CaseCursor? after = null;
        do
        {
            var page = await store.ListAsync(new CaseQuery(Limit: 3, After: after));
            seen.AddRange(page.Cases.Select(c => c.Id));
            after = page.Next;
        }
        while (after is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task Bad_reports_are_refused_before_anything_is_stored()
    {
        await using var cluster = await StartCluster();
        var intake = Service<CaseIntake>(cluster);
        Assert.Contains("position", (await intake.ReportAsync(new NewCase(CaseSource.Hotline, "event-0101", "x"), "operator")).Detail);
        Assert.Contains("category", (await intake.ReportAsync(new NewCase(CaseSource.Hotline, "nope", "x", "addr"), "operator")).Detail);
        Assert.Contains("description", (await intake.ReportAsync(new NewCase(CaseSource.Hotline, "event-0101", new string('x', 2001), "addr"), "operator")).Detail);
        Assert.Contains("media", (await intake.ReportAsync(new NewCase(CaseSource.Hotline, "event-0101", "x", "addr", Media: ["javascript:alert(1)"]), "operator")).Detail);
        Assert.Empty((await Service<CaseStore>(cluster).ListAsync(new CaseQuery())).Cases);
    }
}

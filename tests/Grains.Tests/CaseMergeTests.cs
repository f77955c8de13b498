using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CommandCenter.Grains.Tests;

/// <summary>Another report of the same problem merged into a case: a stored line of its history, only while the case is open.</summary>
public sealed class CaseMergeTests
{
    private static readonly GeoPoint InBaiyin = new(36.545, 104.175);

    private static T Service<T>(GrainCluster cluster) where T : notnull =>
        ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services.GetRequiredService<T>();

    private static NewCase Call(string caller, string text, params string[] media) =>
        new(CaseSource.Hotline, "event-0101", text, null, InBaiyin, new(caller, "13900000000", null), media);

    [Fact]
    public async Task A_merged_report_is_a_stored_history_line_of_an_open_case_and_refused_once_it_is_finished()
    {
        await using var cluster = await GrainCluster.Start(null, new Dictionary<string, string?>());
        var first = (await Service<CaseIntake>(cluster).ReportAsync(Call("张三", "垃圾堆在路边", "https://example.org/a.jpg"), "hotline:operator")).Case!;
        var grain = cluster.Grains.GetGrain<ICaseGrain>(first.Id);

        var merged = await grain.AddReport(Call("李四", "路边垃圾还没清", "https://example.org/b.jpg"), "hotline:operator");
        Assert.True(merged.Ok, merged.Detail);
        Assert.Equal(CaseState.Reported, merged.Case!.State);
        Assert.Equal(["https://example.org/a.jpg", "https://example.org/b.jpg"], merged.Case.Media);

        var stored = await Service<CaseStore>(cluster).FindAsync(first.Id);
        var line = stored!.History[^1];
        Assert.Equal(("merged-report", "hotline:operator", CaseState.Reported), (line.Action, line.Who, line.To));
        Assert.Contains("李四", line.Note);
        Assert.Contains("路边垃圾还没清", line.Note);
        Assert.Equal(first.DueAt, stored.DueAt);

        Assert.Equal(CaseError.Invalid, (await grain.AddReport(Call("王五", "  "), "hotline:operator")).Error);
        Assert.True((await grain.Cancel("重复 duplicate", new("operator"))).Ok);
        var refused = await grain.AddReport(Call("赵六", "又一次"), "hotline:operator");
        Assert.Equal(CaseError.Conflict, refused.Error);
        Assert.Equal(3, (await Service<CaseStore>(cluster).FindAsync(first.Id))!.History.Count);
        Assert.Equal(CaseError.NotFound, (await cluster.Grains.GetGrain<ICaseGrain>("C20990101000001").AddReport(Call("x", "y"), "hotline:operator")).Error);
    }
}

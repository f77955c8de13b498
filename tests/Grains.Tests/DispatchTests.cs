using System.Collections.Concurrent;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;

namespace CommandCenter.Grains.Tests;

/// <summary>Incident and handheld grains together: the unit rules that screens and the API build on.</summary>
public sealed class DispatchTests : IAsyncLifetime
{
    private static readonly GeoPoint Place = new(36.5461, 104.1402);
    private GrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
    {
        ["Devices:OfflineAfter"] = "01:00:00",
        ["Dispatch:ArrivalRadiusMeters"] = "30",
    });
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private LiveBoard Board =>
        (LiveBoard)((Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.Primary!).SiloHost.Services.GetService(typeof(LiveBoard))!;

    private async Task<IIncidentGrain> Open(string title)
    {
        var incident = _cluster.Grains.GetGrain<IIncidentGrain>(IncidentIds.New());
        await incident.Open(new IncidentDraft(IncidentType.Accident, 3, Place, title, null, [], []), "tests");
        return incident;
    }

    private async Task<IHandheldGrain> Unit(string id, GeoPoint at)
    {
        var handheld = _cluster.Grains.GetGrain<IHandheldGrain>(id);
        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, at, 0.9));
        return handheld;
    }

    [Fact]
    public async Task A_dispatch_refused_for_one_unit_leaves_every_unit_as_it_was()
    {
        var free = await Unit("g-free", new GeoPoint(36.547, 104.140));
        var busy = await Unit("g-busy", new GeoPoint(36.548, 104.140));
        var first = await Open("first");
        Assert.True((await first.Dispatch([new UnitChoice("g-busy", null)], "tests")).Ok);

        var second = await Open("second");
        var refused = await second.Dispatch([new UnitChoice("g-free", null), new UnitChoice("g-busy", null)], "tests");
        Assert.Equal(IncidentError.Busy, refused.Error);
        Assert.Empty(refused.Incident!.Units);
        Assert.Equal(UnitStatus.Available, (await free.GetUnit()).Status);
        Assert.Equal(UnitStatus.Dispatched, (await busy.GetUnit()).Status);
        Assert.Equal(IncidentError.Unknown, (await second.Dispatch([new UnitChoice("g-never-heard", null)], "tests")).Error);
    }

    [Fact]
    public async Task A_unit_on_its_way_is_on_scene_once_its_position_is_within_the_arrival_radius_and_screens_hear_of_it()
    {
        var pushes = new ConcurrentQueue<LiveChanges>();
        Board.Changed += pushes.Enqueue;
        var handheld = await Unit("g-walker", new GeoPoint(36.550, 104.1402));
        var incident = await Open("walk there");
        await incident.Dispatch([new UnitChoice("g-walker", "Zhao Lei")], "tests");
        var cmdId = (await handheld.GetUnit()).Task!.CmdId;
        Assert.Equal(AnswerOutcome.Applied, await handheld.Answer(cmdId, "accepted", null));
        Assert.Equal(AnswerOutcome.Repeated, await handheld.Answer(cmdId, "accepted", null));
        Assert.Equal(AnswerOutcome.NotATask, await handheld.Answer("t-other", "accepted", null));

        // 40 m away: not yet; 20 m away: arrived.
        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(Place.Lat + 0.00036, Place.Lon), 0.9));
        Assert.Equal(UnitStatus.Acknowledged, (await handheld.GetUnit()).Status);
        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(Place.Lat + 0.00018, Place.Lon), 0.9));
        Assert.Equal(UnitStatus.OnScene, (await handheld.GetUnit()).Status);

        var recorded = (await incident.Get())!;
        Assert.Equal(UnitStatus.OnScene, recorded.Units.Single().Status);
        Assert.Equal("Zhao Lei", recorded.Units.Single().Name);
        Assert.Equal("position", recorded.Timeline[^1].By);
        await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Incidents.Any(i => i.Id == recorded.Id && i.Units.Any(u => u.Status == UnitStatus.OnScene)))),
            told => told, TimeSpan.FromSeconds(5), "told to the screens");
        // The device's own change travels with the next device batch, after the incident (which goes at once).
        await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Devices.Any(d => d.Id == "g-walker" && d.Unit?.Status == UnitStatus.OnScene))),
            told => told, TimeSpan.FromSeconds(5), "the unit on scene told to the screens");
        Assert.Contains(Board.Incidents, i => i.Id == recorded.Id);

        Assert.True((await incident.Close("tree removed", "tests")).Ok);
        Assert.Equal(UnitStatus.Available, (await handheld.GetUnit()).Status);
        await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Incidents.Any(i => i.Id == recorded.Id && !i.IsOpen))),
            told => told, TimeSpan.FromSeconds(5), "the closing told to the screens");
        Assert.DoesNotContain(Board.Incidents, i => i.Id == recorded.Id);
        Board.Changed -= pushes.Enqueue;
    }

    [Fact]
    public async Task A_move_resent_with_its_key_is_applied_once_and_a_unit_off_duty_is_not_dispatched()
    {
        var handheld = await Unit("g-phone", new GeoPoint(36.547, 104.140));
        var incident = await Open("phone");
        await incident.Dispatch([new UnitChoice("g-phone", null)], "tests");
        var id = (await incident.Get())!.Id;
        Assert.Equal(UnitMoveOutcome.Applied, await handheld.Move(new UnitMove(id, UnitStatus.EnRoute, "inspector:zhao", "k-1")));
        Assert.Equal(UnitMoveOutcome.Applied, await handheld.Move(new UnitMove(id, UnitStatus.OnScene, "inspector:zhao", "k-2")));
        Assert.Equal(UnitMoveOutcome.Repeated, await handheld.Move(new UnitMove(id, UnitStatus.EnRoute, "inspector:zhao", "k-1")));
        Assert.Equal(UnitStatus.OnScene, (await handheld.GetUnit()).Status);
        Assert.Equal(UnitMoveOutcome.NotItsTask, await handheld.Move(new UnitMove(IncidentIds.New(), UnitStatus.Returning, "inspector:zhao", "k-3")));
        Assert.Equal(UnitMoveOutcome.Refused, await handheld.ReportUnitEvent(new UnitEvent(DateTimeOffset.UtcNow, UnitEvents.OffDuty, null)));
        Assert.Equal(UnitMoveOutcome.Applied, await handheld.ReportUnitEvent(new UnitEvent(DateTimeOffset.UtcNow, UnitEvents.Done, null)));

        Assert.Equal(UnitMoveOutcome.Applied, await handheld.ReportUnitEvent(new UnitEvent(DateTimeOffset.UtcNow, UnitEvents.OffDuty, null)));
        Assert.Equal(IncidentError.Busy, (await (await Open("later")).Dispatch([new UnitChoice("g-phone", null)], "tests")).Error);
    }
}

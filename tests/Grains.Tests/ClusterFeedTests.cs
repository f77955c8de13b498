using System.Collections.Concurrent;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// Two silos, each with its own live board, feed and watch, over one shared store: what either node's grains change
/// reaches both boards, what reacts to a change acts once, the offline sweep runs in one place, and a node that was
/// out of the feed for a while catches up on what changed meanwhile.
/// </summary>
public sealed class ClusterFeedTests
{
    private static readonly GeoPoint Square = new(36.5450, 104.1380);

    private static Task<GrainCluster> TwoSilos(string? data = null, Dictionary<string, string?>? settings = null) =>
        GrainCluster.Start(data, new Dictionary<string, string?>(settings ?? [])
        {
            ["LiveFeed:RenewInterval"] = "00:00:01",
        }, silos: 2);

    private static LiveBoard Board(GrainCluster cluster, int silo) => cluster.Services(silo).GetRequiredService<LiveBoard>();

    private static Task BothBoardsHold(GrainCluster cluster, Func<LiveBoard, bool> holds, string what) =>
        GrainCluster.Eventually(() => Task.FromResult(Enumerable.Range(0, 2).Count(silo => holds(Board(cluster, silo)))), count => count == 2,
            TimeSpan.FromSeconds(10), what);

    [Fact]
    public async Task Devices_and_alerts_reported_on_any_silo_reach_every_silos_board()
    {
        await using var cluster = await TwoSilos(settings: new() { ["Devices:OfflineAfter"] = "01:00:00" });
        await GrainCluster.Eventually(() => cluster.Grains.GetGrain<ILiveFeedRegistry>(0).Nodes(), nodes => nodes.Count == 2,
            TimeSpan.FromSeconds(10), "both nodes in the feed");
        // Enough devices that both silos host some of them.
        var ids = Enumerable.Range(0, 20).Select(i => $"hh-feed-{i}").ToList();
        foreach (var id in ids)
            await cluster.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, Square, 0.9));
        await BothBoardsHold(cluster, board => ids.All(id => board.Device(DeviceKind.Handheld, id) is not null), "every handheld on both boards");

        await cluster.Grains.GetGrain<IHandheldGrain>("hh-feed-3").ReportEvent(new DeviceEvent(DateTimeOffset.UtcNow, "sos", AlertSeverity.Critical, "needs help"));
        await BothBoardsHold(cluster, board => board.Alerts.Any(a => a.Key.DeviceId == "hh-feed-3" && a.IsActive), "the alert on both boards");
    }

    [Fact]
    public async Task Each_alert_is_reacted_to_on_exactly_one_silo()
    {
        await using var cluster = await TwoSilos(settings: new() { ["Devices:OfflineAfter"] = "01:00:00" });
        var heard = new ConcurrentQueue<(int Silo, string Alert)>();
        for (var silo = 0; silo < 2; silo++)
        {
            var at = silo;
            cluster.Services(silo).GetRequiredService<LiveFeed>().AlertPublished += alert => heard.Enqueue((at, alert.Id));
        }
        var ids = Enumerable.Range(0, 12).Select(i => $"hh-once-{i}").ToList();
        foreach (var id in ids)
            await cluster.Grains.GetGrain<IHandheldGrain>(id).ReportEvent(new DeviceEvent(DateTimeOffset.UtcNow, "sos", AlertSeverity.Critical, "needs help"));
        await BothBoardsHold(cluster, board => ids.All(id => board.Alerts.Any(a => a.Key.DeviceId == id)), "every alert on both boards");

        var perAlert = heard.GroupBy(h => h.Alert).ToList();
        Assert.Equal(ids.Count, perAlert.Count);
        Assert.All(perAlert, alert => Assert.Single(alert));
    }

    [Fact]
    public async Task A_camera_moved_or_turned_by_its_status_message_is_answered_where_it_now_looks()
    {
        // Only cameras that look at a place answer for it (no fallback to plain nearness), so a turn shows.
        await using var cluster = await TwoSilos(settings: new() { ["Devices:OfflineAfter"] = "01:00:00", ["CameraCoverage:FallbackRadiusMeters"] = "50" });
        var camera = cluster.Grains.GetGrain<ICameraGrain>("cam-moved");
        await camera.Register(new CameraRegistration(
            new Uri("rtsp://127.0.0.1:8554/cam-moved"), new GeoPoint(Square.Lat - 0.0009, Square.Lon), new CameraView(0, 60, 300), "cam-moved"));
        // About 2 km east of the square, looking north as before: the square is out of its range, the new place in it.
        var east = new GeoPoint(Square.Lat + 0.0009, Square.Lon + 0.0225);
        Assert.Empty(await cluster.Services(0).GetRequiredService<CameraCoverage>().CamerasSeeing(east));

        await camera.ReportStatus(new DeviceStatusReport(DateTimeOffset.UtcNow, true, new GeoPoint(Square.Lat, Square.Lon + 0.0225)));
        for (var silo = 0; silo < 2; silo++)
        {
            var coverage = cluster.Services(silo).GetRequiredService<CameraCoverage>();
            Assert.Equal(["cam-moved"], await coverage.CamerasSeeing(east));
            Assert.Empty(await coverage.CamerasSeeing(Square));
        }

        // Turned to look south (a dome camera's operator): the place north of it drops out, one south of it comes in.
        var south = new GeoPoint(Square.Lat - 0.0018, Square.Lon + 0.0225);
        Assert.Empty(await cluster.Services(0).GetRequiredService<CameraCoverage>().CamerasSeeing(south));
        await camera.ReportStatus(new DeviceStatusReport(DateTimeOffset.UtcNow, true, Heading: 180));
        for (var silo = 0; silo < 2; silo++)
        {
            var coverage = cluster.Services(silo).GetRequiredService<CameraCoverage>();
            Assert.Equal(["cam-moved"], await coverage.CamerasSeeing(south));
            Assert.Empty(await coverage.CamerasSeeing(east));
        }
    }

    [Fact]
    public async Task Camera_coverage_is_answered_on_every_silo_at_once_and_after_a_restart()
    {
        var first = await TwoSilos(settings: new() { ["Devices:OfflineAfter"] = "01:00:00" });
        // About 100 m south of the square, looking north.
        await first.Grains.GetGrain<ICameraGrain>("cam-indexed").Register(new CameraRegistration(
            new Uri("rtsp://127.0.0.1:8554/cam-indexed"), new GeoPoint(Square.Lat - 0.0009, Square.Lon), new CameraView(0, 60, 300), "cam-indexed"));
        // No waiting for any board: the index has it as soon as the registration returns.
        for (var silo = 0; silo < 2; silo++)
            Assert.Equal(["cam-indexed"], await first.Services(silo).GetRequiredService<CameraCoverage>().CamerasSeeing(Square));
        await first.DisposeAsync();

        await using var second = await GrainCluster.Start(first.DataDirectory, new Dictionary<string, string?> { ["Devices:OfflineAfter"] = "01:00:00" });
        Assert.Equal(["cam-indexed"], await second.Services(0).GetRequiredService<CameraCoverage>().CamerasSeeing(Square));
        var statistics = await second.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.DoesNotContain(statistics, s => s.GrainType.Contains(nameof(CameraGrain)) && s.ActivationCount > 0);

        await second.Grains.GetGrain<ICameraGrain>("cam-indexed").Retire();
        Assert.Empty(await second.Services(0).GetRequiredService<CameraCoverage>().CamerasSeeing(Square));
    }

    [Fact]
    public async Task A_silent_device_goes_offline_once_swept_on_one_silo_and_the_sweep_outlives_a_restart()
    {
        var cluster = await TwoSilos();
        await cluster.Grains.GetGrain<IHandheldGrain>("hh-goes-quiet").Report(new HandheldFix(DateTimeOffset.UtcNow, Square, 0.9));
        await BothBoardsHold(cluster, board => board.Device(DeviceKind.Handheld, "hh-goes-quiet") is { Online: false }, "offline on both boards");
        var offline = cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Handheld, "hh-goes-quiet", "offline").GrainKey);
        var alert = await GrainCluster.Eventually(() => offline.GetCurrent(), a => a is not null, TimeSpan.FromSeconds(10), "alerted");
        Assert.Equal(1, alert!.Occurrences);

        var sweeps = Enumerable.Range(0, 2).Select(silo => cluster.Services(silo).GetRequiredService<DeviceWatch>().Sweeps).ToList();
        Assert.Single(sweeps, count => count > 0);
        var sweeping = await cluster.Grains.GetGrain<IDeviceWatchGrain>(0).Node();
        var sweepingSilo = sweeps.FindIndex(count => count > 0);
        Assert.Equal(cluster.Cluster.Silos[sweepingSilo].SiloAddress.ToParsableString(), sweeping);
        // The coarse half is stored: the reminder that brings the sweep back is in the store's own table.
        var reminders = await cluster.Services(0).GetRequiredService<IReminderTable>()
            .ReadRow(cluster.Grains.GetGrain<IDeviceWatchGrain>(0).GetGrainId(), DeviceWatchGrain.ReminderName);
        Assert.NotNull(reminders);
        await cluster.DisposeAsync();

        await using var again = await TwoSilos(cluster.DataDirectory);
        Assert.NotNull(await again.Services(1).GetRequiredService<IReminderTable>()
            .ReadRow(again.Grains.GetGrain<IDeviceWatchGrain>(0).GetGrainId(), DeviceWatchGrain.ReminderName));
        await again.Grains.GetGrain<IHandheldGrain>("hh-quiet-after-restart").Report(new HandheldFix(DateTimeOffset.UtcNow, Square, 0.9));
        var after = again.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Handheld, "hh-quiet-after-restart", "offline").GrainKey);
        Assert.Equal(1, (await GrainCluster.Eventually(() => after.GetCurrent(), a => a is not null, TimeSpan.FromSeconds(15), "alerted after the restart"))!.Occurrences);
    }

    [Fact]
    public async Task A_node_that_leaves_or_dies_drops_out_of_the_feed()
    {
        await using var cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
        {
            ["LiveFeed:RenewInterval"] = "00:00:01",
            ["Devices:OfflineAfter"] = "01:00:00",
        }, silos: 3);
        var registry = cluster.Grains.GetGrain<ILiveFeedRegistry>(0);
        await GrainCluster.Eventually(() => registry.Nodes(), nodes => nodes.Count == 3, TimeSpan.FromSeconds(10), "three nodes in the feed");

        var leaving = cluster.Cluster.Silos[2];
        await cluster.Cluster.StopSiloAsync(leaving);
        await GrainCluster.Eventually(() => registry.Nodes(), nodes => nodes.Count == 2 && !nodes.Contains(leaving.SiloAddress.ToParsableString()),
            TimeSpan.FromSeconds(10), "the stopped node gone");

        var dying = cluster.Cluster.Silos[1];
        await cluster.Cluster.KillSiloAsync(dying);
        await GrainCluster.Eventually(() => registry.Nodes(), nodes => nodes.Count == 1 && !nodes.Contains(dying.SiloAddress.ToParsableString()),
            TimeSpan.FromSeconds(30), "the killed node gone");
        // The survivor's board still takes changes.
        await cluster.Grains.GetGrain<IHandheldGrain>("hh-survivor").Report(new HandheldFix(DateTimeOffset.UtcNow, Square, 0.9));
        await GrainCluster.Eventually(() => Task.FromResult(Board(cluster, 0).Device(DeviceKind.Handheld, "hh-survivor")), d => d is not null,
            TimeSpan.FromSeconds(10), "on the survivor's board");
    }

    [Fact]
    public async Task A_node_that_misses_its_renewals_catches_up_on_what_changed_while_it_was_out()
    {
        await using var cluster = await TwoSilos(settings: new() { ["Devices:OfflineAfter"] = "01:00:00" });
        var registry = cluster.Grains.GetGrain<ILiveFeedRegistry>(0);
        await GrainCluster.Eventually(() => registry.Nodes(), nodes => nodes.Count == 2, TimeSpan.FromSeconds(10), "both nodes in the feed");
        var stays = cluster.Cluster.Silos[0].SiloAddress.ToParsableString();
        var leaves = cluster.Cluster.Silos[1].SiloAddress.ToParsableString();
        var (board0, board1) = (Board(cluster, 0), Board(cluster, 1));

        // Made by grains on silo 0 only: what a grain on silo 1 changes reaches silo 1's own board whether it is in the feed or not.
        var clearedAlert = await RaiseOnSilo0(cluster, "hh-cut-cleared");
        var closedIncident = await OpenOnSilo0(cluster, "closed while out");
        var retired = await ReportOnSilo0(cluster, "hh-cut-retired");
        await BothBoardsHold(cluster, board => board.Alerts.Any(a => a.Id == clearedAlert.Id && a.IsActive)
            && board.Incidents.Any(i => i.Id == closedIncident && i.IsOpen) && board.Device(DeviceKind.Handheld, retired) is not null, "known to both boards");

        // Silo 1 misses its renewals: after three intervals the registry drops it, and silo 0 stops sending to it.
        cluster.Services(1).GetRequiredService<RegistryRenewals>().Cut = true;
        await GrainCluster.Eventually(() => registry.Nodes(), nodes => nodes.SequenceEqual([stays]), TimeSpan.FromSeconds(15), "silo 1 dropped from the feed");
        var feed0 = cluster.Services(0).GetRequiredService<LiveFeed>();
        await GrainCluster.Eventually(() => Task.FromResult(feed0.Destinations), nodes => !nodes.Contains(leaves), TimeSpan.FromSeconds(10),
            "silo 0 no longer sending to silo 1");

        var raised = await RaiseOnSilo0(cluster, "hh-cut-raised");
        var opened = await OpenOnSilo0(cluster, "opened while out");
        await cluster.Grains.GetGrain<IAlertGrain>(clearedAlert.Key.GrainKey).Clear(DateTimeOffset.UtcNow, "tests");
        await cluster.Grains.GetGrain<IIncidentGrain>(closedIncident).Close("done", "tests");
        await cluster.Grains.GetGrain<IHandheldGrain>(retired).Retire();
        bool Caught(LiveBoard board) =>
            board.Alerts.Any(a => a.Id == raised.Id && a.IsActive)
            && board.Incidents.Any(i => i.Id == opened && i.IsOpen)
            && board.Alerts.Any(a => a.Id == clearedAlert.Id && !a.IsActive)
            && !board.Incidents.Any(i => i.Id == closedIncident)
            && board.Device(DeviceKind.Handheld, retired) is null;
        await GrainCluster.Eventually(() => Task.FromResult(Caught(board0)), caught => caught, TimeSpan.FromSeconds(10), "every change on silo 0's board");
        // Nothing of it came to silo 1, and nothing will through the feed: the changes were sent while it was out.
        Assert.DoesNotContain(board1.Alerts, a => a.Id == raised.Id);
        Assert.DoesNotContain(board1.Incidents, i => i.Id == opened);
        Assert.Contains(board1.Alerts, a => a.Id == clearedAlert.Id && a.IsActive);
        Assert.Contains(board1.Incidents, i => i.Id == closedIncident && i.IsOpen);
        Assert.NotNull(board1.Device(DeviceKind.Handheld, retired));
        var feed1 = cluster.Services(1).GetRequiredService<LiveFeed>();
        Assert.Equal(0, feed1.Rejoins);

        // Back in: its next renewal joins, and its board is read again from storage.
        cluster.Services(1).GetRequiredService<RegistryRenewals>().Cut = false;
        await GrainCluster.Eventually(() => Task.FromResult(Caught(board1)), caught => caught, TimeSpan.FromSeconds(15), "every change on silo 1's board");
        Assert.Equal(1, feed1.Rejoins);
        await GrainCluster.Eventually(() => registry.Nodes(), nodes => nodes.Count == 2, TimeSpan.FromSeconds(10), "both nodes in the feed again");

        // And the feed reaches it again; renewals after the return are no return.
        var node1 = cluster.Services(1).GetRequiredService<LiveFeedNode>();
        var renewed = node1.Renewals;
        var after = await RaiseOnSilo0(cluster, "hh-cut-after");
        await GrainCluster.Eventually(() => Task.FromResult(board1.Alerts.Any(a => a.Id == after.Id)), seen => seen, TimeSpan.FromSeconds(10),
            "an alert raised after the return on silo 1's board");
        await GrainCluster.Eventually(() => Task.FromResult(node1.Renewals), count => count >= renewed + 2, TimeSpan.FromSeconds(10), "two more renewals");
        Assert.Equal(1, feed1.Rejoins);
        Assert.Equal(1, cluster.Services(1).GetRequiredService<BoardCatchUp>().Completed);
    }

    /// <summary>
    /// The first of a series of grains whose activation landed on silo 0: each is woken by <paramref name="wake"/>, and
    /// placement decides where; only what a grain on silo 0 changes travels to silo 1 through the feed.
    /// </summary>
    private static async Task<T> OnSilo0<T>(GrainCluster cluster, Func<int, T> grain, Func<T, Task> wake) where T : IAddressable
    {
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        for (var i = 0; i < 100; i++)
        {
            var candidate = grain(i);
            await wake(candidate);
            if (Equals(await management.GetActivationAddress(candidate), cluster.Cluster.Silos[0].SiloAddress)) return candidate;
        }
        throw new InvalidOperationException("No grain of 100 was placed on silo 0");
    }

    private static async Task<Alert> RaiseOnSilo0(GrainCluster cluster, string devicePrefix)
    {
        var key = (string id) => new AlertKey(DeviceKind.Handheld, id, "sos").GrainKey;
        var alert = await OnSilo0(cluster, i => cluster.Grains.GetGrain<IAlertGrain>(key($"{devicePrefix}-{i}")), grain => grain.GetCurrent());
        var device = alert.GetPrimaryKeyString().Split('/')[1];
        await cluster.Grains.GetGrain<IHandheldGrain>(device).ReportEvent(new DeviceEvent(DateTimeOffset.UtcNow, "sos", AlertSeverity.Critical, "needs help"));
        return (await alert.GetCurrent())!;
    }

    private static async Task<string> OpenOnSilo0(GrainCluster cluster, string title)
    {
        var incident = await OnSilo0(cluster, _ => cluster.Grains.GetGrain<IIncidentGrain>(IncidentIds.New()), grain => grain.Get());
        await incident.Open(new IncidentDraft(IncidentType.Accident, 3, Square, title, null, [], []), "tests");
        return incident.GetPrimaryKeyString();
    }

    private static async Task<string> ReportOnSilo0(GrainCluster cluster, string devicePrefix)
    {
        var device = await OnSilo0(cluster, i => cluster.Grains.GetGrain<IHandheldGrain>($"{devicePrefix}-{i}"), grain => grain.Watch());
        await device.Report(new HandheldFix(DateTimeOffset.UtcNow, Square, 0.9));
        return device.GetPrimaryKeyString();
    }
}

using System.Collections.Concurrent;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// Two silos, each with its own live board, feed and watch, over one shared store: what either node's grains change
/// reaches both boards, what reacts to a change acts once, and the offline sweep runs in one place.
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
        // Both nodes host alert grains, so each acts for some: neither is the one place evidence is taken.
        Assert.Equal(2, heard.Select(h => h.Silo).Distinct().Count());
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
}

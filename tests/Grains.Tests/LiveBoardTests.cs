using System.Collections.Concurrent;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;

namespace CommandCenter.Grains.Tests;

/// <summary>The live board behind every screen, fed by real device grains.</summary>
public sealed class LiveBoardTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
    {
        // Nobody goes offline while the test looks at the counts.
        ["Devices:OfflineAfter"] = "01:00:00",
    });
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private LiveBoard Board =>
        (LiveBoard)((Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.Primary!).SiloHost.Services.GetService(typeof(LiveBoard))!;

    [Fact]
    public async Task A_forgotten_device_leaves_the_board_its_counts_and_the_screens_and_comes_back_when_heard_again()
    {
        var pushes = new ConcurrentQueue<LiveChanges>();
        Board.Changed += pushes.Enqueue;
        var before = Board.Count(DeviceKind.Handheld);
        foreach (var id in new[] { "hh-kept", "hh-retired" })
            await _cluster.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.9));
        // The board hears its grains through the live feed, a batch later.
        await CountBecomes(DeviceKind.Handheld, new DeviceCount(before.Online + 2, before.Total + 2));

        Assert.True(Board.Forget(DeviceKind.Handheld, "hh-retired"));
        Assert.False(Board.Forget(DeviceKind.Handheld, "hh-retired"));
        Assert.Null(Board.Device(DeviceKind.Handheld, "hh-retired"));
        Assert.NotNull(Board.Device(DeviceKind.Handheld, "hh-kept"));
        Assert.DoesNotContain(Board.EachDevice(), d => d.Id == "hh-retired");
        Assert.Equal(new DeviceCount(before.Online + 1, before.Total + 1), Board.Count(DeviceKind.Handheld));
        await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Forgotten.Contains("handheld/hh-retired"))), told => told,
            TimeSpan.FromSeconds(5), "told to the screens");

        // Forgetting is not refusing: a device that speaks again is on the board again.
        await _cluster.Grains.GetGrain<IHandheldGrain>("hh-retired").Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.546, 104.139), 0.8));
        await CountBecomes(DeviceKind.Handheld, new DeviceCount(before.Online + 2, before.Total + 2));
        Assert.NotNull(Board.Device(DeviceKind.Handheld, "hh-retired"));
        Board.Changed -= pushes.Enqueue;
    }

    [Fact]
    public async Task Counts_follow_devices_going_offline()
    {
        var camera = _cluster.Grains.GetGrain<ICameraGrain>("cam-counted");
        var before = Board.Count(DeviceKind.Camera);
        await camera.ReportStatus(new DeviceStatusReport(DateTimeOffset.UtcNow, true));
        await CountBecomes(DeviceKind.Camera, new DeviceCount(before.Online + 1, before.Total + 1));
        await camera.ReportStatus(new DeviceStatusReport(DateTimeOffset.UtcNow, false));
        await CountBecomes(DeviceKind.Camera, new DeviceCount(before.Online, before.Total + 1));
    }

    private Task CountBecomes(DeviceKind kind, DeviceCount expected) =>
        GrainCluster.Eventually(() => Task.FromResult(Board.Count(kind)), count => count == expected, TimeSpan.FromSeconds(5), $"{expected} {kind.Name()}s on the board");

    [Fact]
    public async Task A_listener_that_throws_does_not_keep_changes_from_the_others()
    {
        var pushes = new ConcurrentQueue<LiveChanges>();
        Action<LiveChanges> broken = _ => throw new InvalidOperationException("a screen that fails");
        Board.Changed += broken;
        Board.Changed += pushes.Enqueue;
        try
        {
            await _cluster.Grains.GetGrain<IHandheldGrain>("hh-after-broken")
                .Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.7));
            await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Devices.Any(d => d.Id == "hh-after-broken"))),
                seen => seen, TimeSpan.FromSeconds(5), "pushed to the listener after the broken one");
        }
        finally
        {
            Board.Changed -= broken;
            Board.Changed -= pushes.Enqueue;
        }
    }
}

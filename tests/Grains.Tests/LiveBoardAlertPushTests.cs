using System.Collections.Concurrent;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// Alerts reach the screens at once; device changes wait for their batch. The batch interval here is far longer than
/// the test, so anything pushed came from an alert's own push.
/// </summary>
public sealed class LiveBoardAlertPushTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
    {
        ["Devices:OfflineAfter"] = "01:00:00",
        ["Live:PushInterval"] = "00:10:00",
    });
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private LiveBoard Board =>
        (LiveBoard)((Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.Primary!).SiloHost.Services.GetService(typeof(LiveBoard))!;

    [Fact]
    public async Task An_alert_is_pushed_without_waiting_for_the_device_batch_and_the_devices_keep_waiting()
    {
        var pushes = new ConcurrentQueue<LiveChanges>();
        Board.Changed += pushes.Enqueue;
        try
        {
            var handheld = _cluster.Grains.GetGrain<IHandheldGrain>("hh-prompt");
            await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.9));
            await handheld.ReportEvent(new DeviceEvent(DateTimeOffset.UtcNow, "sos", AlertSeverity.Critical, "needs help"));
            await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Alerts.Any(a => a.Key.DeviceId == "hh-prompt"))), seen => seen,
                TimeSpan.FromSeconds(10), "the alert pushed");
            // A second alert is pushed on its own too: the first wake-up was not the last.
            await _cluster.Grains.GetGrain<IHandheldGrain>("hh-prompt-2")
                .ReportEvent(new DeviceEvent(DateTimeOffset.UtcNow, "fall", AlertSeverity.Major, "fell"));
            await GrainCluster.Eventually(() => Task.FromResult(pushes.Any(p => p.Alerts.Any(a => a.Key.DeviceId == "hh-prompt-2"))), seen => seen,
                TimeSpan.FromSeconds(10), "the second alert pushed");

            Assert.DoesNotContain(pushes, p => p.Devices.Any(d => d.Id == "hh-prompt"));
            // On the board (the live feed's device batch) though not yet pushed to the screens.
            await GrainCluster.Eventually(() => Task.FromResult(Board.Device(DeviceKind.Handheld, "hh-prompt")), d => d is not null,
                TimeSpan.FromSeconds(5), "on the board");
        }
        finally
        {
            Board.Changed -= pushes.Enqueue;
        }
    }
}

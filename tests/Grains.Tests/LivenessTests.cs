using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Tests;

public sealed class LivenessTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start();
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<Alert?> OfflineAlert(DeviceKind kind, string id) =>
        _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(kind, id, "offline").GrainKey).GetCurrent();

    [Fact]
    public async Task A_silent_handheld_goes_offline_with_an_alert_that_clears_when_it_is_back()
    {
        var handheld = _cluster.Grains.GetGrain<IHandheldGrain>("hh-silent");
        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.9));
        Assert.True((await handheld.GetSnapshot()).Online);

        var offline = await GrainCluster.Eventually(handheld.GetSnapshot, s => !s.Online, TimeSpan.FromSeconds(10), "offline");
        Assert.NotNull(offline.LastSeen);
        // The district waits a short window to see whether more of its devices go dark before alerting one by one.
        var alert = await GrainCluster.Eventually(() => OfflineAlert(DeviceKind.Handheld, "hh-silent"), a => a is not null, TimeSpan.FromSeconds(10), "alerted");
        Assert.NotNull(alert);
        Assert.Equal(Network.CityManagement, alert.Network);
        Assert.Equal(new GeoPoint(36.545, 104.138), alert.Position);

        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.546, 104.139), 0.8));
        Assert.True((await handheld.GetSnapshot()).Online);
        await GrainCluster.Eventually(() => OfflineAlert(DeviceKind.Handheld, "hh-silent"), a => a is null, TimeSpan.FromSeconds(10), "cleared");
    }

    [Fact]
    public async Task A_camera_that_says_it_is_offline_is_offline_at_once()
    {
        var camera = _cluster.Grains.GetGrain<ICameraGrain>("cam-down");
        await camera.ReportStatus(new DeviceStatusReport(DateTimeOffset.UtcNow, true));
        await camera.ReportStatus(new DeviceStatusReport(DateTimeOffset.UtcNow, false));
        Assert.False((await camera.GetSnapshot()).Online);
        var alert = await GrainCluster.Eventually(() => OfflineAlert(DeviceKind.Camera, "cam-down"), a => a is not null, TimeSpan.FromSeconds(10), "alerted");
        Assert.Equal(Network.PublicSecurity, alert!.Network);
    }

    [Fact]
    public async Task A_device_event_raises_an_alert_in_its_network()
    {
        var handheld = _cluster.Grains.GetGrain<IHandheldGrain>("hh-sos");
        await handheld.ReportEvent(new DeviceEvent(DateTimeOffset.UtcNow, "sos", AlertSeverity.Critical, "Inspector needs help"));
        var alert = await _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Handheld, "hh-sos", "sos").GrainKey).GetCurrent();
        Assert.Equal(AlertSeverity.Critical, alert!.Severity);
        Assert.Equal("Inspector needs help", alert.Title);
        Assert.Equal(Network.CityManagement, alert.Network);
    }

    [Fact]
    public async Task A_retired_device_falls_silent_without_an_offline_alert_and_leaves_the_board()
    {
        var handheld = _cluster.Grains.GetGrain<IHandheldGrain>("hh-retired");
        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.9));
        var board = (Live.LiveBoard)((Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.Primary!).SiloHost.Services.GetService(typeof(Live.LiveBoard))!;
        await GrainCluster.Eventually(() => Task.FromResult(board.Device(DeviceKind.Handheld, "hh-retired")), d => d is not null,
            TimeSpan.FromSeconds(5), "on the board");

        await handheld.Retire();
        await GrainCluster.Eventually(() => Task.FromResult(board.Device(DeviceKind.Handheld, "hh-retired")), d => d is null,
            TimeSpan.FromSeconds(5), "gone from the board");
        // Several times the silence after which a watched device goes offline.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Null(await OfflineAlert(DeviceKind.Handheld, "hh-retired"));
        Assert.Null((await handheld.GetSnapshot()).LastSeen);
    }
}

using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Tests;

public sealed class CameraTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;
    private static readonly GeoPoint Square = new(36.5450, 104.1380);

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
    {
        ["Devices:OfflineAfter"] = "00:10:00",
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task Register(string id, GeoPoint at, double heading, double fov = 60, double range = 300) =>
        _cluster.Grains.GetGrain<ICameraGrain>(id).Register(
            new CameraRegistration(new Uri($"rtsp://viewer:pa55word@127.0.0.1:8554/{id}"), at, new CameraView(heading, fov, range), id));

    [Fact]
    public async Task An_alert_carries_the_cameras_that_see_its_place_nearest_first()
    {
        // About 200 m south of the square, looking north: sees it.
        await Register("cam-south", new GeoPoint(Square.Lat - 0.0018, Square.Lon), heading: 0);
        // About 100 m south, looking north: sees it and is nearer.
        await Register("cam-near", new GeoPoint(Square.Lat - 0.0009, Square.Lon), heading: 0);
        // About 200 m south, looking south: its back is turned.
        await Register("cam-away", new GeoPoint(Square.Lat - 0.0018, Square.Lon + 0.0001), heading: 180, range: 150);
        // 5 km away.
        await Register("cam-far", new GeoPoint(Square.Lat + 0.05, Square.Lon), heading: 180);

        var sensor = _cluster.Grains.GetGrain<ISensorGrain>("s-square");
        for (var i = 0; i < 3; i++)
            await sensor.Report(new SensorReading(DateTimeOffset.UtcNow, new Dictionary<string, double> { ["a21026"] = 900 }, Square));
        var alert = await _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Sensor, "s-square", "exceed-a21026").GrainKey).GetCurrent();

        Assert.Equal(["cam-near", "cam-south", "cam-away"], alert!.Cameras);
    }

    [Fact]
    public async Task A_lost_stream_raises_a_public_security_alert_that_clears_when_pictures_return()
    {
        await Register("cam-flaky", Square, heading: 90);
        var camera = _cluster.Grains.GetGrain<ICameraGrain>("cam-flaky");
        var alertGrain = _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Camera, "cam-flaky", "stream-lost").GrainKey);

        await camera.ReportStream(true, null);
        Assert.True((await camera.GetSnapshot()).StreamOnline);
        Assert.Null(await alertGrain.GetCurrent());

        await camera.ReportStream(false, "ended");
        var lost = await alertGrain.GetCurrent();
        Assert.Equal(Network.PublicSecurity, lost!.Network);
        Assert.Equal("Camera cam-flaky: video stream lost (ended)", lost.Title);
        Assert.Equal(Square, lost.Position);

        await camera.ReportStream(true, null);
        Assert.Null(await alertGrain.GetCurrent());
    }

    [Fact]
    public async Task A_loss_reason_other_than_the_fixed_categories_never_reaches_the_title()
    {
        await Register("cam-wordy", Square, heading: 0);
        var camera = _cluster.Grains.GetGrain<ICameraGrain>("cam-wordy");
        await camera.ReportStream(true, null);

        await camera.ReportStream(false, "ffmpeg exited (rtsp://127.0.0.1:9/x?token=SECRET1: Connection refused)");

        var lost = await _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Camera, "cam-wordy", "stream-lost").GrainKey).GetCurrent();
        Assert.Equal("Camera cam-wordy: video stream lost (stream unavailable)", lost!.Title);
    }

    [Fact]
    public async Task The_stream_url_stays_in_the_grain_and_out_of_the_snapshot()
    {
        await Register("cam-secret", Square, heading: 0);
        var camera = _cluster.Grains.GetGrain<ICameraGrain>("cam-secret");
        Assert.Equal("viewer:pa55word", (await camera.GetStreamUrl())!.UserInfo);
        var snapshot = await camera.GetSnapshot();
        Assert.Equal(new CameraView(0, 60, 300), snapshot.View);
        Assert.DoesNotContain("pa55word", System.Text.Json.JsonSerializer.Serialize(snapshot));
    }
}

using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Device_state_and_alerts_survive_a_restart_of_the_silo()
    {
        var settings = new Dictionary<string, string?> { ["Devices:OfflineAfter"] = "00:10:00" };
        var first = await GrainCluster.Start(settings: settings);
        var now = DateTimeOffset.UtcNow;
        var sensor = first.Grains.GetGrain<ISensorGrain>("s-restart");
        for (var i = 0; i < 3; i++)
            await sensor.Report(new SensorReading(now.AddSeconds(i), new Dictionary<string, double> { ["a34004"] = 150 + i }, new GeoPoint(36.55, 104.14)));
        await first.Grains.GetGrain<IHandheldGrain>("hh-restart").Report(new HandheldFix(now, new GeoPoint(36.544, 104.137), 0.7));
        var alert = await first.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Sensor, "s-restart", "exceed-a34004").GrainKey).GetCurrent();
        Assert.NotNull(alert);
        await first.Grains.GetGrain<IAlertGrain>(alert.Key.GrainKey).Acknowledge(alert.Id, "operator");
        await first.DisposeAsync();

        await using var second = await GrainCluster.Start(first.DataDirectory, settings);
        var sensorAfter = await second.Grains.GetGrain<ISensorGrain>("s-restart").GetSnapshot();
        Assert.True(sensorAfter.Online);
        Assert.Equal(new GeoPoint(36.55, 104.14), sensorAfter.Position);
        Assert.Equal(["a34004"], sensorAfter.ExceededPollutants);
        var handheldAfter = await second.Grains.GetGrain<IHandheldGrain>("hh-restart").GetSnapshot();
        Assert.Equal(new GeoPoint(36.544, 104.137), handheldAfter.Position);
        Assert.Equal(0.7, handheldAfter.Battery);

        var alertAfter = await second.Grains.GetGrain<IAlertGrain>(alert.Key.GrainKey).GetCurrent();
        Assert.Equal(alert.Id, alertAfter!.Id);
        Assert.Equal(AlertState.Acknowledged, alertAfter.State);
        Assert.Equal("operator", alertAfter.AcknowledgedBy);

        // The exceedance run survived too: one more reading over the limit repeats the same alert.
        await second.Grains.GetGrain<ISensorGrain>("s-restart").Report(
            new SensorReading(now.AddSeconds(10), new Dictionary<string, double> { ["a34004"] = 160 }));
        var repeated = await second.Grains.GetGrain<IAlertGrain>(alert.Key.GrainKey).GetCurrent();
        Assert.Equal(alert.Id, repeated!.Id);
    }
}

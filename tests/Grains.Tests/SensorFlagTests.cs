using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Tests;

/// <summary>HJ 212 data flags and period averages on the sensor grain.</summary>
public sealed class SensorFlagTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(8));

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start();
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<Alert?> Current(string sensor, string code) =>
        _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Sensor, sensor, $"exceed-{code}").GrainKey).GetCurrent();

    [Fact]
    public async Task Values_not_flagged_normal_are_shown_but_not_judged()
    {
        var sensor = _cluster.Grains.GetGrain<ISensorGrain>("s-flags");
        for (var minute = 0; minute < 4; minute++)
            await sensor.Report(new SensorReading(T0.AddMinutes(minute),
                new Dictionary<string, double> { ["a34004"] = 300, ["a34002"] = 400 }, null,
                new Dictionary<string, string> { ["a34004"] = "C", ["a34002"] = "N" }));
        Assert.Null(await Current("s-flags", "a34004"));
        Assert.NotNull(await Current("s-flags", "a34002"));
        Assert.Equal(300, (await sensor.GetSnapshot()).Readings["a34004"]);
    }

    [Fact]
    public async Task Averages_are_kept_per_code_and_raise_no_alert()
    {
        var sensor = _cluster.Grains.GetGrain<ISensorGrain>("s-averages");
        for (var hour = 0; hour < 4; hour++)
            await sensor.ReportAverages(new SensorAverages(T0.AddHours(hour),
                new Dictionary<string, PollutantAverage> { ["a21026"] = new("hour", 900 + hour, 600, 1200, "N", T0.AddHours(hour)) }));
        var average = (await sensor.GetSnapshot()).Averages!["a21026"];
        Assert.Equal(("hour", 903.0, T0.AddHours(3)), (average.Period, average.Avg!.Value, average.At));
        Assert.Null(await Current("s-averages", "a21026"));
    }
}

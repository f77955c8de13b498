using CommandCenter.Grains.Devices;
using Orleans.TestingHost;

namespace CommandCenter.Grains.Tests;

public sealed class ReadingLimitTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(8));

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start();
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private T Service<T>() => (T)((InProcessSiloHandle)_cluster.Cluster.Primary!).SiloHost.Services.GetService(typeof(T))!;

    [Fact]
    public async Task A_sensor_sending_a_hundred_codes_keeps_sixty_four_and_its_known_codes_still_update()
    {
        var sensor = _cluster.Grains.GetGrain<ISensorGrain>("s-many-codes");
        // Ten messages of ten new codes each, within the per-message limit of the gateway.
        for (var message = 0; message < 10; message++)
        {
            var values = Enumerable.Range(message * 10, 10).ToDictionary(i => $"x{i:00000}", i => (double)i);
            await sensor.Report(new SensorReading(T0.AddMinutes(message), values));
        }

        var snapshot = await sensor.GetSnapshot();
        Assert.Equal(64, snapshot.Readings.Count);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"x{i:00000}"), snapshot.Readings.Keys.Order());
        Assert.Equal(36, Service<RefusedReadings>().Count);

        await sensor.Report(new SensorReading(T0.AddMinutes(11), new Dictionary<string, double> { ["x00003"] = 42, ["x00099"] = 1 }));
        snapshot = await sensor.GetSnapshot();
        Assert.Equal(42, snapshot.Readings["x00003"]);
        Assert.False(snapshot.Readings.ContainsKey("x00099"));
        Assert.Equal(64, snapshot.Readings.Count);
    }

    [Fact]
    public async Task A_late_reading_does_not_move_live_state_back_nor_count_towards_an_exceedance()
    {
        var sensor = _cluster.Grains.GetGrain<ISensorGrain>("s-late");
        Assert.Equal(ReportOutcome.Applied, await sensor.Report(new SensorReading(T0.AddMinutes(10), new Dictionary<string, double> { ["a34004"] = 90 })));
        Assert.Equal(ReportOutcome.Applied, await sensor.Report(new SensorReading(T0.AddMinutes(11), new Dictionary<string, double> { ["a34004"] = 95 })));
        // Two readings above the limit so far; a late third one does not make three in a row.
        Assert.Equal(ReportOutcome.Late, await sensor.Report(new SensorReading(T0.AddMinutes(5), new Dictionary<string, double> { ["a34004"] = 300 }, new GeoPoint(1, 1))));

        var snapshot = await sensor.GetSnapshot();
        Assert.Equal(95, snapshot.Readings["a34004"]);
        Assert.Equal(T0.AddMinutes(11), snapshot.LastReport);
        Assert.Null(snapshot.Position);
        Assert.Empty(snapshot.ExceededPollutants);
    }

    [Fact]
    public async Task A_late_fix_does_not_move_a_handheld_back()
    {
        var handheld = _cluster.Grains.GetGrain<IHandheldGrain>("hh-late");
        await handheld.Report(new HandheldFix(T0.AddMinutes(10), new GeoPoint(36.545, 104.138), 0.8));
        Assert.Equal(ReportOutcome.Late, await handheld.Report(new HandheldFix(T0.AddMinutes(9), new GeoPoint(36.6, 104.2), 0.9)));

        var snapshot = await handheld.GetSnapshot();
        Assert.Equal(new GeoPoint(36.545, 104.138), snapshot.Position);
        Assert.Equal(0.8, snapshot.Battery);
        Assert.Equal(T0.AddMinutes(10), snapshot.LastReport);
        Assert.True(snapshot.Online);
    }
}

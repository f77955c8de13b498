using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Tests;

public sealed class SensorAlertTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(8));

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start();
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task Report(string sensor, int minute, double pm25) =>
        _cluster.Grains.GetGrain<ISensorGrain>(sensor).Report(
            new SensorReading(T0.AddMinutes(minute), new Dictionary<string, double> { ["a34004"] = pm25, ["a21026"] = 12 }));

    private Task<Alert?> Current(string sensor) =>
        _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Sensor, sensor, "exceed-a34004").GrainKey).GetCurrent();

    [Fact]
    public async Task Three_readings_above_the_limit_raise_one_alert_that_repeats_update()
    {
        await Report("s-raise", 0, 90);
        await Report("s-raise", 1, 95);
        Assert.Null(await Current("s-raise"));

        await Report("s-raise", 2, 100);
        var raised = await Current("s-raise");
        Assert.NotNull(raised);
        Assert.Equal(AlertState.ActiveUnacknowledged, raised.State);
        Assert.Equal(Network.Environment, raised.Network);
        Assert.Equal(75, raised.Limit);
        Assert.Equal(T0.AddMinutes(2), raised.FirstAt);

        await Report("s-raise", 3, 300);
        var repeated = await Current("s-raise");
        Assert.Equal(raised.Id, repeated!.Id);
        Assert.Equal(2, repeated.Occurrences);
        Assert.Equal(300, repeated.Value);
        Assert.Equal(T0.AddMinutes(3), repeated.LastAt);
        Assert.Equal(AlertSeverity.Critical, repeated.Severity);

        var snapshot = await _cluster.Grains.GetGrain<ISensorGrain>("s-raise").GetSnapshot();
        Assert.Equal(["a34004"], snapshot.ExceededPollutants);
        Assert.Equal(300, snapshot.Readings["a34004"]);
    }

    [Fact]
    public async Task A_reading_below_the_limit_breaks_the_run()
    {
        await Report("s-run", 0, 90);
        await Report("s-run", 1, 90);
        await Report("s-run", 2, 40);
        await Report("s-run", 3, 90);
        Assert.Null(await Current("s-run"));
    }

    [Fact]
    public async Task Three_readings_back_under_the_limit_clear_it_with_hysteresis()
    {
        for (var minute = 0; minute < 3; minute++) await Report("s-clear", minute, 120);
        var raised = await Current("s-clear");
        Assert.NotNull(raised);

        await Report("s-clear", 3, 50);
        await Report("s-clear", 4, 50);
        await Report("s-clear", 5, 72); // under the limit, but inside the hysteresis band: does not count
        Assert.NotNull(await Current("s-clear"));
        await Report("s-clear", 6, 50);
        Assert.Null(await Current("s-clear"));

        var silo = (Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.Primary!;
        var store = (AlertStore)silo.SiloHost.Services.GetService(typeof(AlertStore))!;
        var cleared = await store.FindAsync(raised!.Id);
        Assert.Equal(AlertState.Cleared, cleared!.State);
        Assert.Equal("condition", cleared.ClearedBy);
        Assert.Equal(T0.AddMinutes(6), cleared.ClearedAt);
    }

    [Fact]
    public async Task An_operator_acknowledges_the_open_alert_only()
    {
        for (var minute = 0; minute < 3; minute++) await Report("s-ack", minute, 120);
        var alert = (await Current("s-ack"))!;
        var grain = _cluster.Grains.GetGrain<IAlertGrain>(alert.Key.GrainKey);

        Assert.Null(await grain.Acknowledge("not-this-one", "operator"));
        var acknowledged = await grain.Acknowledge(alert.Id, "operator");
        Assert.Equal(AlertState.Acknowledged, acknowledged!.State);
        Assert.Equal("operator", acknowledged.AcknowledgedBy);
        Assert.NotNull(acknowledged.AcknowledgedAt);
    }

    [Fact]
    public async Task An_operator_clears_by_hand_only_the_alert_they_saw()
    {
        for (var minute = 0; minute < 3; minute++) await Report("s-hand", minute, 120);
        var alert = (await Current("s-hand"))!;
        var grain = _cluster.Grains.GetGrain<IAlertGrain>(alert.Key.GrainKey);

        Assert.False(await grain.ClearByHand("an-older-alert", "operator"));
        Assert.NotNull(await Current("s-hand"));
        Assert.True(await grain.ClearByHand(alert.Id, "operator"));
        Assert.Null(await Current("s-hand"));

        // The sensor is still over the limit: its next reading opens a new alert.
        await Report("s-hand", 3, 130);
        var reopened = await Current("s-hand");
        Assert.NotEqual(alert.Id, reopened!.Id);
    }
}

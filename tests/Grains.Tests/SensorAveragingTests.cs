using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Grains.Tests;

/// <summary>Hour buckets, moving averages, the AQI and the averaging-period rules of the sensor grain, on a fake clock.</summary>
public sealed class SensorAveragingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private GrainCluster _cluster = null!;
    private FakeTimeProvider _clock = null!;

    public async Task InitializeAsync()
    {
        _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
        {
            [GrainCluster.FakeClockStart] = T0.ToString("O"),
            // The fake clock jumps hours between readings: silence must not send the sensors offline meanwhile.
            ["Devices:OfflineAfter"] = "30.00:00:00",
        });
        _clock = _cluster.FakeClock;
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ISensorGrain Sensor(string id) => _cluster.Grains.GetGrain<ISensorGrain>(id);

    private Task<Alert?> Current(string sensor, string type) =>
        _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Sensor, sensor, type).GrainKey).GetCurrent();

    /// <summary>Moves the clock to <paramref name="at"/> and reports there, as a sensor on time does.</summary>
    private async Task Report(string sensor, DateTimeOffset at, string code, double value, string flag = "N")
    {
        if (at > _clock.GetUtcNow()) _clock.SetUtcNow(at);
        await Sensor(sensor).Report(new SensorReading(at, new Dictionary<string, double> { [code] = value }, null,
            new Dictionary<string, string> { [code] = flag }));
    }

    [Fact]
    public async Task Pm25_aqi_uses_the_24_hour_moving_average_of_hour_values_over_the_hours_available()
    {
        const string s = "s-avg24";
        // Hour 0: 40 and 60 (hour value 50). The day has one hour: its average is the 24-h value so far.
        await Report(s, T0.AddMinutes(10), Aqi.Pm25, 40);
        await Report(s, T0.AddMinutes(40), Aqi.Pm25, 60);
        // A value flagged as a fault is shown, not averaged.
        await Report(s, T0.AddMinutes(50), Aqi.Pm25, 900, flag: "D");
        var first = await Sensor(s).GetSnapshot();
        Assert.Equal(900, first.Readings[Aqi.Pm25]);
        // 50 µg/m³: 50 + 50/40·15 = 68.75 → 69.
        Assert.Equal(69, first.Air!.Aqi);
        Assert.Equal(Aqi.Pm25, first.Air.PrimaryPollutant);

        // Hours 1–11 at 50, hours 12–23 at 100 and 120 (hour value 110): 24-h average (12·50 + 12·110)/24 = 80.
        for (var hour = 1; hour < 24; hour++)
        {
            if (hour < 12) await Report(s, T0.AddHours(hour), Aqi.Pm25, 50);
            else
            {
                await Report(s, T0.AddHours(hour), Aqi.Pm25, 100);
                await Report(s, T0.AddHours(hour).AddMinutes(30), Aqi.Pm25, 120);
            }
        }
        var day = await Sensor(s).GetSnapshot();
        // 80: 100 + 50/40·5 = 106.25 → 107.
        Assert.Equal(107, day.Air!.Aqi);
        Assert.Equal(3, day.Air.Level);

        // Hour 24 at 110: hour 0 leaves the window; (11·50 + 13·110)/24 = 82.5 → 100 + 50/40·7.5 = 109.375 → 110.
        await Report(s, T0.AddHours(24), Aqi.Pm25, 110);
        Assert.Equal(110, (await Sensor(s).GetSnapshot()).Air!.Aqi);
    }

    [Fact]
    public async Task The_24_hour_limit_is_judged_once_20_hours_have_data_and_names_its_period()
    {
        const string s = "s-rule24";
        const string type = "exceed-a34004-24h";
        // Hours 0–11 at 50, then 100 and 120 each hour (hour value 110).
        async Task Hour(int hour)
        {
            if (hour < 12) await Report(s, T0.AddHours(hour), Aqi.Pm25, 50);
            else
            {
                await Report(s, T0.AddHours(hour), Aqi.Pm25, 100);
                await Report(s, T0.AddHours(hour).AddMinutes(30), Aqi.Pm25, 120);
            }
        }
        for (var hour = 0; hour < 20; hour++) await Hour(hour);
        // 20 hours: (12·50 + 8·110)/20 = 74, within the limit of 75.
        Assert.Null(await Current(s, type));
        // Hour 20: (600 + 8·110 + 100)/21 = 75.2 > 75, then (600 + 9·110)/21 = 75.7.
        await Hour(20);
        var alert = await Current(s, type);
        Assert.NotNull(alert);
        Assert.Equal(75, alert.Limit);
        Assert.Equal(75.7, alert.Value!.Value, 1);
        Assert.Equal("PM2.5 24-h average 75.7 µg/m³ above the GB 3095-2012 grade II limit 75 µg/m³ at sensor s-rule24", alert.Title);
        Assert.Contains(Aqi.Pm25, (await Sensor(s).GetSnapshot()).ExceededPollutants);
    }

    [Fact]
    public async Task A_24_hour_limit_broken_while_the_1_hour_limit_holds_and_then_both()
    {
        const string s = "s-so2";
        // SO2 at 200 µg/m³ for 20 hours: above the 24-h limit (150), within the 1-h limit (500) and the immediate one.
        for (var hour = 0; hour < 20; hour++) await Report(s, T0.AddHours(hour), Aqi.So2, 200);
        Assert.NotNull(await Current(s, "exceed-a21026-24h"));
        Assert.Null(await Current(s, "exceed-a21026-1h"));
        Assert.Null(await Current(s, "exceed-a21026"));

        // Hour 20 at 600: the hour's average and three readings in a row break the 1-h limit too.
        for (var minute = 0; minute < 3; minute++) await Report(s, T0.AddHours(20).AddMinutes(minute), Aqi.So2, 600);
        var hourly = await Current(s, "exceed-a21026-1h");
        Assert.NotNull(hourly);
        Assert.Equal(500, hourly.Limit);
        Assert.StartsWith("SO2 1-h average 600 µg/m³ above the GB 3095-2012 grade II limit 500", hourly.Title);
        Assert.NotNull(await Current(s, "exceed-a21026"));
    }

    [Fact]
    public async Task Readings_not_flagged_normal_are_not_averaged_or_judged()
    {
        const string s = "s-avgflags";
        for (var hour = 0; hour < 22; hour++) await Report(s, T0.AddHours(hour), Aqi.Pm25, 300, flag: "C");
        Assert.Null(await Current(s, "exceed-a34004-24h"));
        Assert.Null(await Current(s, "exceed-a34004"));
        var snapshot = await Sensor(s).GetSnapshot();
        Assert.Null(snapshot.Air);
        Assert.Equal(300, snapshot.Readings[Aqi.Pm25]);
    }

    [Fact]
    public async Task The_monitors_hour_average_is_the_value_of_its_hour()
    {
        const string s = "s-reported";
        await Report(s, T0.AddMinutes(5), Aqi.Pm25, 40);
        // 40: 50 + 50/40·5 = 56.25 → 57.
        Assert.Equal(57, (await Sensor(s).GetSnapshot()).Air!.Aqi);
        // The monitor averaged 100 over hour 0 (HJ 212 hour data is stamped with the hour's start): 100 + 50/40·25 = 131.25 → 132.
        await Sensor(s).ReportAverages(new SensorAverages(T0.AddMinutes(6),
            new Dictionary<string, PollutantAverage> { [Aqi.Pm25] = new("hour", 100, 60, 140, "N", T0) }));
        Assert.Equal(132, (await Sensor(s).GetSnapshot()).Air!.Aqi);
        // A later reading in the same hour does not change the hour the monitor has averaged.
        await Report(s, T0.AddMinutes(7), Aqi.Pm25, 10);
        Assert.Equal(132, (await Sensor(s).GetSnapshot()).Air!.Aqi);
    }

    [Fact]
    public async Task A_late_reading_counts_in_its_hour_but_does_not_move_live_state()
    {
        const string s = "s-late";
        await Report(s, T0.AddHours(1), Aqi.Pm25, 80);
        var outcome = await Sensor(s).Report(new SensorReading(T0.AddMinutes(30), new Dictionary<string, double> { [Aqi.Pm25] = 20 }));
        Assert.Equal(ReportOutcome.Late, outcome);
        var snapshot = await Sensor(s).GetSnapshot();
        Assert.Equal(80, snapshot.Readings[Aqi.Pm25]);
        // Hours 0 (20) and 1 (80): 24-h average 50 → 50 + 50/40·15 = 68.75 → 69 once the next reading is taken in.
        await Report(s, T0.AddHours(1).AddMinutes(10), Aqi.Pm25, 80);
        Assert.Equal(69, (await Sensor(s).GetSnapshot()).Air!.Aqi);
    }

    [Fact]
    public async Task A_source_outlet_is_judged_on_its_emission_limits_and_has_no_aqi()
    {
        const string s = "s-outlet";
        await Sensor(s).SetProfile(PollutionOptions.Source);
        // SO2 150 mg/m³ at a stack: above GB 13223-2011's 100 (the ambient 1-h limit would be 500 µg/m³).
        for (var minute = 0; minute < 3; minute++) await Report(s, T0.AddMinutes(minute), "a21026", 150);
        var alert = await Current(s, "exceed-a21026");
        Assert.NotNull(alert);
        Assert.Equal(100, alert.Limit);
        Assert.Equal("mg/m³", alert.Unit);
        Assert.Contains("GB 13223-2011", alert.Title);
        Assert.NotNull(await Current(s, "exceed-a21026-1h"));
        // pH is judged against a range: 5 is below 6.
        for (var minute = 3; minute < 6; minute++) await Report(s, T0.AddMinutes(minute), "w01001", 5);
        var ph = await Current(s, "exceed-w01001");
        Assert.NotNull(ph);
        Assert.Equal(6, ph.Limit);
        Assert.Contains("below", ph.Title);
        Assert.Null((await Sensor(s).GetSnapshot()).Air);
    }

    [Fact]
    public async Task Severity_follows_the_ratio_down_and_the_alert_keeps_its_peak()
    {
        const string s = "s-peak";
        const string type = "exceed-a34004";
        for (var minute = 0; minute < 3; minute++) await Report(s, T0.AddMinutes(minute), Aqi.Pm25, 200 + minute * 50);
        var critical = await Current(s, type);
        Assert.Equal(AlertSeverity.Critical, critical!.Severity); // 300 / 75 = 4
        Assert.Equal(300, critical.Peak);
        Assert.Equal(T0.AddMinutes(2), critical.PeakAt);

        await Report(s, T0.AddMinutes(3), Aqi.Pm25, 90); // 1.2: minor
        var eased = await Current(s, type);
        Assert.Equal(critical.Id, eased!.Id);
        Assert.Equal(AlertSeverity.Minor, eased.Severity);
        Assert.Equal(90, eased.Value);
        Assert.Equal(300, eased.Peak);
        Assert.Equal(T0.AddMinutes(2), eased.PeakAt);

        // The lower severity was saved at once, peak and all.
        var silo = (Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.Primary!;
        var store = (AlertStore)silo.SiloHost.Services.GetService(typeof(AlertStore))!;
        var stored = await store.FindAsync(critical.Id);
        Assert.Equal((AlertSeverity.Minor, 300.0), (stored!.Severity, stored.Peak!.Value));
    }

    [Fact]
    public async Task Hour_buckets_profile_and_peak_survive_a_restart_of_the_silo()
    {
        const string s = "s-restart-hours";
        await Sensor(s).SetProfile(PollutionOptions.Ambient);
        // Hours 0–2 at 50, then three readings at 300: an open alert with its peak.
        for (var hour = 0; hour < 3; hour++) await Report(s, T0.AddHours(hour), Aqi.Pm25, 50);
        for (var minute = 0; minute < 3; minute++) await Report(s, T0.AddHours(3).AddMinutes(minute), Aqi.Pm25, 300 - minute);
        var stoppedAt = _clock.GetUtcNow();
        await _cluster.DisposeAsync();

        _cluster = await GrainCluster.Start(_cluster.DataDirectory, new Dictionary<string, string?>
        {
            [GrainCluster.FakeClockStart] = stoppedAt.ToString("O"),
            ["Devices:OfflineAfter"] = "30.00:00:00",
        });
        _clock = _cluster.FakeClock;
        // Hour 3 now holds 300, 299, 298 and 100 (hour value 249.25): 24-h average (3·50 + 249.25)/4 = 99.8125
        // → 100 + 50/40·24.8125 = 131.02 → 132. Without the hours kept it would be 249.25 alone: 200 + 100/100·99.25 → 300.
        await Report(s, T0.AddHours(3).AddMinutes(10), Aqi.Pm25, 100);
        Assert.Equal(132, (await Sensor(s).GetSnapshot()).Air!.Aqi);
        var alert = await Current(s, "exceed-a34004");
        Assert.Equal((300.0, T0.AddHours(3)), (alert!.Peak!.Value, alert.PeakAt!.Value));
    }
}

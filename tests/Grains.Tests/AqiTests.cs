using CommandCenter.Grains.Pollution;

namespace CommandCenter.Grains.Tests;

/// <summary>Expected indices are worked out by hand from HJ 633-2012 table 1: IAQI = (IH−IL)/(BPH−BPL)·(C−BPL)+IL, rounded up.</summary>
public sealed class AqiTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    // Exactly on breakpoints: the row's index, no rounding up past it.
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 0, 0)]
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 35, 50)]
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 75, 100)]
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 500, 500)]
    [InlineData(Aqi.No2, AveragingPeriod.Hour1, 1200, 200)]
    [InlineData(Aqi.O3, AveragingPeriod.Hour8, 265, 200)]
    // Between breakpoints. PM2.5 92: 100 + 50/40·17 = 121.25 → 122.
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 92, 122)]
    // PM2.5 35.1: 50 + 50/40·0.1 = 50.125 → 51 (rounded up, not to nearest).
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 35.1, 51)]
    // PM10 180: 100 + 50/100·30 = 115.
    [InlineData(Aqi.Pm10, AveragingPeriod.Hour24, 180, 115)]
    // SO2 1-h 120: 50/150·120 = 40.
    [InlineData(Aqi.So2, AveragingPeriod.Hour1, 120, 40)]
    // SO2 24-h 200: 100 + 50/325·50 = 107.69 → 108.
    [InlineData(Aqi.So2, AveragingPeriod.Hour24, 200, 108)]
    // NO2 1-h 250: 100 + 50/500·50 = 105.
    [InlineData(Aqi.No2, AveragingPeriod.Hour1, 250, 105)]
    // CO 1-h 3.3 mg/m³: 50/5·3.3 = 33; CO 24-h 5: 100 + 50/10·1 = 105.
    [InlineData(Aqi.Co, AveragingPeriod.Hour1, 3.3, 33)]
    [InlineData(Aqi.Co, AveragingPeriod.Hour24, 5, 105)]
    // O3 8-h 170: 100 + 50/55·10 = 109.09 → 110; O3 1-h 900: 300 + 100/200·100 = 350.
    [InlineData(Aqi.O3, AveragingPeriod.Hour8, 170, 110)]
    [InlineData(Aqi.O3, AveragingPeriod.Hour1, 900, 350)]
    // Above the last breakpoint: 500.
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, 620, 500)]
    [InlineData(Aqi.Co, AveragingPeriod.Hour1, 151, 500)]
    public void Individual_index_from_the_breakpoints(string code, AveragingPeriod period, double concentration, int expected) =>
        Assert.Equal(expected, Aqi.Iaqi(code, period, concentration));

    [Theory]
    [InlineData(Aqi.So2, AveragingPeriod.Hour1, 800.1)]
    [InlineData(Aqi.O3, AveragingPeriod.Hour8, 801)]
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour1, 50)]
    [InlineData(Aqi.Pm25, AveragingPeriod.Hour24, -1)]
    public void No_index_where_the_standard_gives_none(string code, AveragingPeriod period, double concentration) =>
        Assert.Null(Aqi.Iaqi(code, period, concentration));

    [Fact]
    public void Real_time_aqi_takes_the_highest_index_and_names_its_pollutant()
    {
        var air = Aqi.RealTime(
            hour: new Dictionary<string, double> { [Aqi.So2] = 120, [Aqi.No2] = 250, [Aqi.Co] = 3.3, [Aqi.O3] = 210, [Aqi.Pm25] = 500 },
            hours8: new Dictionary<string, double> { [Aqi.O3] = 170 },
            hours24: new Dictionary<string, double> { [Aqi.Pm25] = 92, [Aqi.Pm10] = 180 },
            At)!;

        // The 1-h PM2.5 value is not an index input: PM uses its 24-h moving average (92 → 122).
        Assert.Equal(122, air.Aqi);
        Assert.Equal([Aqi.Pm25], air.PrimaryPollutants);
        Assert.Equal(Aqi.Pm25, air.PrimaryPollutant);
        Assert.Equal(3, air.Level);
        Assert.Equal("轻度污染", air.LevelInfo.Chinese);
        Assert.Equal("#FF7E00", air.LevelInfo.Color);
        Assert.Equal(40, air.Iaqi[Aqi.So2]);
        Assert.Equal(105, air.Iaqi[Aqi.No2]);
        Assert.Equal(33, air.Iaqi[Aqi.Co]);
        Assert.Equal(115, air.Iaqi[Aqi.Pm10]);
        // O3: 1-h 210 → 105, 8-h 170 → 110; the higher counts.
        Assert.Equal(110, air.Iaqi[Aqi.O3]);
    }

    [Fact]
    public void Pollutants_tied_at_the_top_are_all_primary()
    {
        var air = Aqi.RealTime(new Dictionary<string, double>(), new Dictionary<string, double>(),
            new Dictionary<string, double> { [Aqi.Pm25] = 75, [Aqi.Pm10] = 150 }, At)!;
        Assert.Equal(100, air.Aqi);
        Assert.Equal(2, air.Level);
        Assert.Equal([Aqi.Pm10, Aqi.Pm25], air.PrimaryPollutants);
    }

    [Fact]
    public void No_primary_pollutant_at_50_or_less()
    {
        var air = Aqi.RealTime(new Dictionary<string, double> { [Aqi.No2] = 100 }, new Dictionary<string, double>(),
            new Dictionary<string, double> { [Aqi.Pm25] = 35 }, At)!;
        Assert.Equal(50, air.Aqi);
        Assert.Equal(1, air.Level);
        Assert.Empty(air.PrimaryPollutants);
        Assert.Null(air.PrimaryPollutant);
    }

    [Fact]
    public void So2_above_800_in_an_hour_takes_its_24_hour_index_and_o3_above_800_in_8_hours_its_1_hour_index()
    {
        var air = Aqi.RealTime(
            new Dictionary<string, double> { [Aqi.So2] = 900, [Aqi.O3] = 900 },
            new Dictionary<string, double> { [Aqi.O3] = 850 },
            new Dictionary<string, double> { [Aqi.So2] = 200 }, At)!;
        Assert.Equal(108, air.Iaqi[Aqi.So2]);
        Assert.Equal(350, air.Iaqi[Aqi.O3]);
        Assert.Equal(350, air.Aqi);
        Assert.Equal(6, air.Level);
        Assert.Equal([Aqi.O3], air.PrimaryPollutants);
    }

    [Fact]
    public void Above_the_last_breakpoint_the_aqi_is_500_severely_polluted()
    {
        var air = Aqi.RealTime(new Dictionary<string, double>(), new Dictionary<string, double>(),
            new Dictionary<string, double> { [Aqi.Pm25] = 700 }, At)!;
        Assert.Equal(500, air.Aqi);
        Assert.Equal("严重污染", air.LevelInfo.Chinese);
        Assert.Equal("#7E0023", air.LevelInfo.Color);
    }

    [Theory]
    [InlineData(0, 1)] [InlineData(50, 1)] [InlineData(51, 2)] [InlineData(100, 2)] [InlineData(101, 3)] [InlineData(150, 3)]
    [InlineData(151, 4)] [InlineData(200, 4)] [InlineData(201, 5)] [InlineData(300, 5)] [InlineData(301, 6)] [InlineData(500, 6)]
    public void Levels_follow_table_2(int aqi, int level) => Assert.Equal(level, Aqi.LevelOf(aqi));

    [Fact]
    public void Nothing_to_index_gives_no_aqi() =>
        Assert.Null(Aqi.RealTime(new Dictionary<string, double> { ["w01018"] = 80 }, new Dictionary<string, double>(),
            new Dictionary<string, double>(), At));
}

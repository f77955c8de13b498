using CommandCenter.Web.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Web.Tests;

/// <summary>Times as the city reads them, whatever zone the server runs in.</summary>
public sealed class CityTimeTests
{
    // 23:30 UTC on 1 March is 07:30 on 2 March in Baiyin: "today" is the city's day, not the server's.
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero));
    private readonly CityTime _time = new(Options.Create(new DisplayOptions()), Clock);

    [Fact]
    public void A_time_of_the_citys_today_shows_alone_in_plus_eight()
    {
        var at = new DateTimeOffset(2026, 3, 1, 22, 5, 9, TimeSpan.Zero);
        Assert.Equal("06:05:09", _time.Format(at));
        Assert.Equal("06:05", _time.Format(at, seconds: false));
        Assert.Equal("+08:00", _time.OffsetOf(at));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 6, 5, 9, TimeSpan.FromHours(8)), _time.ToCity(at));
    }

    [Fact]
    public void A_time_of_another_day_shows_its_date()
    {
        // 15:59 UTC on 1 March is 23:59 on 1 March in the city: yesterday there, although the same UTC day.
        Assert.Equal("2026-03-01 23:59:00", _time.Format(new DateTimeOffset(2026, 3, 1, 15, 59, 0, TimeSpan.Zero)));
        Assert.Equal("2026-03-01 23:59:00", _time.FormatFull(new DateTimeOffset(2026, 3, 1, 15, 59, 0, TimeSpan.Zero)));
        Assert.Equal("", _time.Format((DateTimeOffset?)null));
    }

    [Fact]
    public void Another_zone_is_taken_from_the_setting()
    {
        var utc = new CityTime(Options.Create(new DisplayOptions { TimeZone = "UTC" }), Clock);
        Assert.Equal("22:05:09", utc.Format(new DateTimeOffset(2026, 3, 1, 22, 5, 9, TimeSpan.Zero)));
        Assert.False(new DisplayOptions { TimeZone = "Mars/Olympus" }.IsValid());
    }
}

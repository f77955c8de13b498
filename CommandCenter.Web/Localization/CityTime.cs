using System.Globalization;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Localization;

/// <summary>
/// Times as the city reads them: in <see cref="DisplayOptions.TimeZone"/>, the time alone when it falls on the city's
/// today and with the date otherwise, so an alert from last night is not mistaken for one from this evening.
/// </summary>
public sealed class CityTime(IOptions<DisplayOptions> options, TimeProvider clock)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public TimeZoneInfo Zone => _zone;

    /// <summary>The same instant with the city's offset.</summary>
    public DateTimeOffset ToCity(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone);

    /// <summary>The city's date now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(ToCity(clock.GetUtcNow()).DateTime);

    public bool IsToday(DateTimeOffset at) => DateOnly.FromDateTime(ToCity(at).DateTime) == Today;

    /// <summary>"14:03:07" today, "2025-03-01 14:03:07" on another day.</summary>
    public string Format(DateTimeOffset at, bool seconds = true)
    {
        var local = ToCity(at);
        var time = seconds ? "HH:mm:ss" : "HH:mm";
        return local.ToString(IsToday(at) ? time : "yyyy-MM-dd " + time, CultureInfo.InvariantCulture);
    }

    /// <summary>As <see cref="Format(DateTimeOffset, bool)"/>; nothing for no time.</summary>
    public string Format(DateTimeOffset? at, bool seconds = true) => at is { } a ? Format(a, seconds) : "";

    /// <summary>Always with the date, for records read later (case histories, evidence).</summary>
    public string FormatFull(DateTimeOffset at) => ToCity(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public string FormatDate(DateTimeOffset at) => ToCity(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>With the date and the offset ("2026-12-01 08:12:34 +08:00"), for signed records and their exports.</summary>
    public string FormatRecord(DateTimeOffset at) => $"{FormatFull(at)} {OffsetOf(at)}";

    /// <summary>As <see cref="FormatRecord(DateTimeOffset)"/>; "—" for no time.</summary>
    public string FormatRecord(DateTimeOffset? at) => at is { } a ? FormatRecord(a) : "—";

    /// <summary>The zone's offset at that instant, e.g. "+08:00", for a page that names it.</summary>
    public string OffsetOf(DateTimeOffset at) => ToCity(at).ToString("zzz", CultureInfo.InvariantCulture);
}

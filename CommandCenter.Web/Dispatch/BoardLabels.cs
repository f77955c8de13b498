using System.Globalization;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Dispatch;

/// <summary>
/// The incident board's words in the current UI culture, in one place: Resources/Dispatch/BoardLabels.resx (zh-CN)
/// and BoardLabels.en.resx.
/// </summary>
public sealed class BoardLabels(IStringLocalizer<BoardLabels> text, Labels labels)
{
    public string Board => text["Board"];
    public string OpenCount(int count) => text["OpenCount", count];
    public string NoIncidents => text["NoIncidents"];
    public string OpenIncident => text["OpenIncident"];
    public string OpenFromAlert => text["OpenFromAlert"];
    public string NewIncident => text["NewIncident"];
    public string OpenFromScratch => text["OpenFromScratch"];
    public string Description => text["Description"];
    public string Latitude => text["Latitude"];
    public string Longitude => text["Longitude"];
    public string PickOnMap => text["PickOnMap"];
    public string Picking => text["Picking"];
    public string PickCue => text["PickCue"];
    public string Type => text["Type"];
    public string Level => text["Level"];
    public string Title => text["Title"];
    public string Place => text["Place"];
    public string Cameras(int count) => text["Cameras", count];
    public string Cancel => text["Cancel"];
    public string DispatchNearest(string id, string? name, double meters) => text["DispatchNearest", id, name ?? "", Distance(meters)];
    public string NoUnitAvailable => text["NoUnitAvailable"];
    public string Raise => text["Raise"];
    public string Lower => text["Lower"];
    public string Close => text["Close"];
    public string Report => text["Report"];
    public string CloseWithReport => text["CloseWithReport"];
    public string NoUnits => text["NoUnits"];
    public string Opened(TimeSpan ago) => text["Opened", Span(ago)];
    public string NoAnswer => text["NoAnswer"];
    public string OpenFailed => text["OpenFailed"];
    public string ActionFailed => text["ActionFailed"];

    public string NotAcknowledgedWithin(TimeSpan limit) => text["NotAcknowledgedWithin", Limit(limit)];
    public string NotOnSceneWithin(TimeSpan limit) => text["NotOnSceneWithin", Limit(limit)];

    /// <summary>A setting as it was written: "60 s", "15 min", "2 h".</summary>
    public static string Limit(TimeSpan limit) =>
        limit.TotalSeconds < 120 || limit.Seconds != 0 ? $"{limit.TotalSeconds:0} s"
        : limit.Minutes != 0 || limit.TotalHours < 1 ? $"{(int)limit.TotalMinutes} min"
        : $"{(int)limit.TotalHours} h";

    /// <summary>A place to about a metre: "36.54610, 104.14020".</summary>
    public string Coordinates(GeoPoint place) =>
        $"{place.Lat.ToString("0.00000", CultureInfo.InvariantCulture)}, {place.Lon.ToString("0.00000", CultureInfo.InvariantCulture)}";

    /// <summary>"I 级 特别重大" / "I extraordinary".</summary>
    public string LevelText(int level) => text[$"Level.{level}"] is { ResourceNotFound: false } found ? found.Value : IncidentLevels.Name(level);

    public string TypeText(IncidentType type) => labels.IncidentType(type);

    public string StatusText(UnitStatus status) => labels.UnitStatus(status);

    /// <summary>"45 s", "3 min 20 s", "2 h 05 min" (秒, 分, 小时 in Chinese): how long ago a step was taken.</summary>
    public string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalMinutes < 1) return text["Seconds", (int)span.TotalSeconds];
        if (span.TotalHours < 1) return text["Minutes", (int)span.TotalMinutes, span.Seconds];
        return text["Hours", (int)span.TotalHours, span.Minutes];
    }

    public static string Distance(double meters) => meters < 1000
        ? $"{meters.ToString("0", CultureInfo.InvariantCulture)} m"
        : $"{(meters / 1000).ToString("0.0", CultureInfo.InvariantCulture)} km";
}

using System.Globalization;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;

namespace CommandCenter.Web.Dispatch;

/// <summary>The incident board's words, in one place: Chinese for the operators, English beside it.</summary>
public static class BoardLabels
{
    public const string Board = "事件 Incidents";
    public const string OpenCount = "open";
    public const string NoIncidents = "无进行中事件 · no open incidents";
    public const string OpenIncident = "立案 Open incident";
    public const string OpenFromAlert = "从告警立案 · Open an incident from this alert";
    public const string NewIncident = "新建事件 New incident";
    public const string OpenFromScratch = "新建事件 · Open an incident from scratch";
    public const string Description = "描述 Description";
    public const string Latitude = "纬度 Lat";
    public const string Longitude = "经度 Lon";
    public const string PickOnMap = "在地图上选点 Pick on the map";
    public const string Picking = "请点击地图… click the map";
    public const string PickCue = "点击地图设定事件地点 · Click the map to set the incident's place (Esc 取消 cancel)";
    public const string Type = "类型 Type";
    public const string Level = "级别 Level";
    public const string Title = "标题 Title";
    public const string Place = "地点 Place";
    public const string Cameras = "摄像头 cameras";
    public const string Cancel = "取消 Cancel";
    public const string DispatchNearest = "派遣最近 Dispatch nearest";
    public const string NoUnitAvailable = "无可用人员 · no unit available";
    public const string Raise = "升级 Raise";
    public const string Lower = "降级 Lower";
    public const string Close = "结案 Close";
    public const string Report = "结案报告 Report";
    public const string CloseWithReport = "提交并结案 Close with this report";
    public const string NoUnits = "尚未派遣 · no unit sent yet";
    public const string Opened = "opened";
    public const string NoAnswer = "无应答，请改派 · no answer: choose another unit";

    public static string NotAcknowledgedWithin(TimeSpan limit) => $"超时未确认 · not acknowledged within {Limit(limit)}";
    public static string NotOnSceneWithin(TimeSpan limit) => $"超时未到场 · not on scene {Limit(limit)} after dispatch";

    /// <summary>A setting as it was written: "60 s", "15 min", "2 h".</summary>
    public static string Limit(TimeSpan limit) =>
        limit.TotalSeconds < 120 || limit.Seconds != 0 ? $"{limit.TotalSeconds:0} s"
        : limit.Minutes != 0 || limit.TotalHours < 1 ? $"{(int)limit.TotalMinutes} min"
        : $"{(int)limit.TotalHours} h";

    /// <summary>A place to about a metre: "36.54610, 104.14020".</summary>
    public static string Coordinates(GeoPoint place) =>
        $"{place.Lat.ToString("0.00000", CultureInfo.InvariantCulture)}, {place.Lon.ToString("0.00000", CultureInfo.InvariantCulture)}";

    public static string LevelText(int level) => $"{IncidentLevels.Name(level)} {IncidentLevels.ChineseName(level)}";

    public static string TypeText(IncidentType type) => type switch
    {
        IncidentType.NaturalDisaster => "自然灾害 natural disaster",
        IncidentType.Accident => "事故灾难 accident",
        IncidentType.PublicHealth => "公共卫生 public health",
        _ => "社会安全 social safety",
    };

    public static string StatusText(UnitStatus status) => status switch
    {
        UnitStatus.Available => "可用 available",
        UnitStatus.Dispatched => "已派遣 dispatched",
        UnitStatus.Acknowledged => "已确认 acknowledged",
        UnitStatus.EnRoute => "在途 en route",
        UnitStatus.OnScene => "到场 on scene",
        UnitStatus.Returning => "返回 returning",
        _ => "不可用 unavailable",
    };

    /// <summary>"45 s", "3 min 20 s", "2 h 05 min": how long ago a step was taken.</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalMinutes < 1) return $"{(int)span.TotalSeconds} s";
        if (span.TotalHours < 1) return $"{(int)span.TotalMinutes} min {span.Seconds:00} s";
        return $"{(int)span.TotalHours} h {span.Minutes:00} min";
    }

    public static string Distance(double meters) => meters < 1000
        ? $"{meters.ToString("0", CultureInfo.InvariantCulture)} m"
        : $"{(meters / 1000).ToString("0.0", CultureInfo.InvariantCulture)} km";
}

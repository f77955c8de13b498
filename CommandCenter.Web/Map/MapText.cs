using System.Globalization;

namespace CommandCenter.Web.Map;

/// <summary>
/// Every word the map's script shows (legend, layer names, popups, tooltips), in one place, in the screen's culture:
/// Simplified Chinese by default, English when the culture is English. The script gets them with the map's settings
/// and never builds markup from them.
/// </summary>
public static class MapText
{
    public static object For(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? English : Chinese;

    private static readonly object Chinese = new
    {
        kinds = new { handheld = "手持终端", sensor = "监测站", camera = "摄像头" },
        online = "在线",
        offline = "离线",
        layersTitle = "图层",
        layers = new { @base = "底图", grid = "网格", handhelds = "手持终端", sensors = "监测站", cameras = "摄像头", alerts = "告警", incidents = "事件" },
        legendTitle = "图例",
        severityTitle = "告警级别",
        severities = new { critical = "紧急", major = "重要", minor = "次要", warning = "提示" },
        aqiTitle = "空气质量指数 AQI",
        aqiLevels = new[] { "优", "良", "轻度污染", "中度污染", "重度污染", "严重污染" },
        cluster = "{0} 台设备",
        camerasHere = "查看能看到此处的摄像头",
        openOnWall = "在视频墙打开",
        charts = "历史曲线",
        cameras = "摄像头",
        acknowledge = "确认告警",
        acknowledged = "已确认",
        openIncident = "在此处立案",
        exceeded = "超标",
        incident = "事件",
        map = "设备与告警地图",
    };

    private static readonly object English = new
    {
        kinds = new { handheld = "handheld", sensor = "sensor", camera = "camera" },
        online = "online",
        offline = "offline",
        layersTitle = "Layers",
        layers = new { @base = "Base map", grid = "Grid cells", handhelds = "Handhelds", sensors = "Sensors", cameras = "Cameras", alerts = "Alerts", incidents = "Incidents" },
        legendTitle = "Legend",
        severityTitle = "Alert severity",
        severities = new { critical = "critical", major = "major", minor = "minor", warning = "warning" },
        aqiTitle = "Air quality index",
        aqiLevels = new[] { "Good", "Moderate", "Lightly polluted", "Moderately polluted", "Heavily polluted", "Severely polluted" },
        cluster = "{0} devices",
        camerasHere = "Cameras that see this place",
        openOnWall = "Open on the video wall",
        charts = "Charts",
        cameras = "Cameras",
        acknowledge = "Acknowledge",
        acknowledged = "acknowledged",
        openIncident = "Open an incident here",
        exceeded = "exceeded",
        incident = "Incident",
        map = "Map of devices and alerts",
    };
}

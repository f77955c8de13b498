using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Map;

/// <summary>
/// Every word the map's script shows (legend, layer names, popups, tooltips), from Resources/Map/MapText.resx and the
/// shared <see cref="Labels"/>, in the screen's culture. The script gets them with the map's settings and never builds
/// markup from them.
/// </summary>
public sealed class MapText(IStringLocalizer<MapText> text, Labels labels)
{
    private static readonly string[] Layers = ["base", "grid", "handhelds", "sensors", "cameras", "alerts", "incidents"];

    public string MapLabel => text["MapLabel"];

    /// <summary>The words for live-map.js, in the current UI culture.</summary>
    public object ForScript() => new
    {
        kinds = new { handheld = labels.Kind(DeviceKind.Handheld), sensor = labels.Kind(DeviceKind.Sensor), camera = labels.Kind(DeviceKind.Camera) },
        online = labels.Online(true),
        offline = labels.Online(false),
        layersTitle = text["LayersTitle"].Value,
        layers = Layers.ToDictionary(l => l, l => text[$"Layer.{l}"].Value),
        legendTitle = text["LegendTitle"].Value,
        severityTitle = text["SeverityTitle"].Value,
        severities = Enum.GetValues<AlertSeverity>().ToDictionary(s => s.Name(), labels.Severity),
        aqiTitle = text["AqiTitle"].Value,
        aqiLevels = Enumerable.Range(1, 6).Select(labels.AqiLevel).ToArray(),
        cluster = text["Cluster"].Value,
        camerasHere = text["CamerasHere"].Value,
        openOnWall = text["OpenOnWall"].Value,
        charts = text["Charts"].Value,
        cameras = text["Cameras"].Value,
        acknowledge = text["Acknowledge"].Value,
        acknowledged = text["Acknowledged"].Value,
        openIncident = text["OpenIncident"].Value,
    };
}

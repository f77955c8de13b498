namespace CommandCenter.Web;

public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public string ClusterId { get; set; } = "command-center";
    public string ServiceId { get; set; } = "command-center";
}

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Most device rows the live page renders at once; it draws the rows in view, and scrolling reaches the rest.</summary>
    public int DeviceRows { get; set; } = 200;

    /// <summary>Most rows the alert feed renders (default 100), the most urgent first; the rest are counted, not drawn.</summary>
    public int AlertRows { get; set; } = 100;

    /// <summary>More active alerts of one type than this (default 20) are shown as one group row an operator can expand.</summary>
    public int GroupAlertsAbove { get; set; } = 20;

    public bool IsValid() => DeviceRows > 0 && AlertRows > 0 && GroupAlertsAbove > 0;
}

public sealed class MapOptions
{
    public const string Section = "Map";

    /// <summary>The city's tile server, e.g. "https://tiles.example/{z}/{x}/{y}.png"; empty shows devices on a blank map.</summary>
    public string TileUrl { get; set; } = "";
    public string Attribution { get; set; } = "";
    public double CenterLat { get; set; } = 36.545;
    public double CenterLon { get; set; } = 104.138;
    public int Zoom { get; set; } = 12;

    /// <summary>Most device markers sent to a screen's map per push (default 1000); the rest follow in the next ones.</summary>
    public int MarkersPerPush { get; set; } = 1000;

    /// <summary>Most alert rings drawn on the map (default 500), the most urgent alerts first.</summary>
    public int AlertRings { get; set; } = 500;

    /// <summary>
    /// Most devices one screen's map holds (default 50,000): what a circuit keeps for its map is bounded by this, not
    /// by how many devices report; beyond it, devices wait until one is forgotten.
    /// </summary>
    public int MaxDevicesPerScreen { get; set; } = 50_000;

    /// <summary>Below this zoom (default 12) devices close together on the screen are drawn as one circle with their count.</summary>
    public int ClusterBelowZoom { get; set; } = 12;

    public bool IsValid() => MarkersPerPush > 0 && AlertRings >= 0 && MaxDevicesPerScreen > 0 && ClusterBelowZoom is >= 0 and <= 20;
}

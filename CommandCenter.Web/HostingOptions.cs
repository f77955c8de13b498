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

    /// <summary>Most device rows the live page renders; the rest are counted, not drawn.</summary>
    public int DeviceRows { get; set; } = 200;
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
}

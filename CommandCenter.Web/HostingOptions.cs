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

namespace CommandCenter.Grains.Devices;

public sealed class CameraCoverageOptions
{
    public const string Section = "CameraCoverage";

    /// <summary>Most cameras offered for one place.</summary>
    public int MaxCameras { get; set; } = 4;
    /// <summary>A camera this close sees the place whichever way it looks (it can be turned or zoomed out).</summary>
    public double NearRadiusMeters { get; set; } = 50;
    /// <summary>When no camera's view covers the place, the nearest cameras within this radius are offered instead.</summary>
    public double FallbackRadiusMeters { get; set; } = 500;
}

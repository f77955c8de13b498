namespace CommandCenter.Simulators.Devices;

/// <summary>Where the devices are: around the centre of Baiyin by default.</summary>
public sealed class AreaOptions
{
    public double CenterLatitude { get; set; } = 36.545;
    public double CenterLongitude { get; set; } = 104.138;

    /// <summary>Pollution sensors stand anywhere within this distance of the centre.</summary>
    public double SensorRadiusMeters { get; set; } = 5_000;

    /// <summary>Inspectors patrol the streets within this distance of the centre.</summary>
    public double PatrolRadiusMeters { get; set; } = 2_000;

    /// <summary>Distance between parallel streets of the (simplified, north-aligned) street grid.</summary>
    public double StreetSpacingMeters { get; set; } = 150;
}

namespace CommandCenter.Grains.Devices;

public enum DeviceKind { Handheld, Sensor, Camera }

/// <summary>The three networks the command center joins; every device and alert belongs to one.</summary>
public enum Network { CityManagement, Environment, PublicSecurity }

public static class DeviceKinds
{
    public static string Name(this DeviceKind kind) => kind switch
    {
        DeviceKind.Handheld => "handheld",
        DeviceKind.Sensor => "sensor",
        DeviceKind.Camera => "camera",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? text, out DeviceKind kind)
    {
        switch (text)
        {
            case "handheld": kind = DeviceKind.Handheld; return true;
            case "sensor": kind = DeviceKind.Sensor; return true;
            case "camera": kind = DeviceKind.Camera; return true;
            default: kind = default; return false;
        }
    }

    public static Network Network(this DeviceKind kind) => kind switch
    {
        DeviceKind.Handheld => Devices.Network.CityManagement,
        DeviceKind.Sensor => Devices.Network.Environment,
        _ => Devices.Network.PublicSecurity,
    };

    public static string Name(this Network network) => network switch
    {
        Devices.Network.CityManagement => "city-management",
        Devices.Network.Environment => "environment",
        _ => "public-security",
    };
}

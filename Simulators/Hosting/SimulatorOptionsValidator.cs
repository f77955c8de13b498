using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Sensors;
using CommandCenter.Simulators.Mqtt;

namespace CommandCenter.Simulators.Hosting;

/// <summary>Refuses to start on settings that cannot work, saying which ones.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    const int HighestPort = 65_535;
    static readonly TimeSpan LargestUtcOffset = TimeSpan.FromHours(14);
    static readonly TimeSpan ShortestTick = TimeSpan.FromMilliseconds(1);  // what the runtime's timers can do

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string failure) { if (!condition) failures.Add(failure); }

        Require(options.Handhelds >= 0 && options.Sensors >= 0 && options.Cameras >= 0, "device counts must not be negative");
        Require(options.FirstDeviceNumber >= 1, "FirstDeviceNumber must be at least 1");
        Require(options.HandheldInterval > TimeSpan.Zero && options.SensorInterval > TimeSpan.Zero && options.CameraInterval > TimeSpan.Zero,
            "report intervals must be positive (format hh:mm:ss)");
        Require(options.SummaryInterval > TimeSpan.Zero, "SummaryInterval must be positive");
        Require(options.TickInterval >= ShortestTick, "TickInterval must be at least 1 ms");
        Require(options.MaxSchedulingLag > TimeSpan.Zero, "MaxSchedulingLag must be positive");
        Require(options.RunDuration >= TimeSpan.Zero, "RunDuration must not be negative (0 runs until stopped)");
        Require(options.DeviceUtcOffset.Ticks % TimeSpan.TicksPerMinute == 0 && options.DeviceUtcOffset.Duration() <= LargestUtcOffset,
            "DeviceUtcOffset must be whole minutes between -14:00 and +14:00");

        var mqtt = options.Mqtt;
        Require(!string.IsNullOrWhiteSpace(mqtt.Host), "Mqtt:Host is required");
        Require(mqtt.Port is > 0 and <= HighestPort, "Mqtt:Port must be 1-65535");
        Require(mqtt.Connections >= 1, "Mqtt:Connections must be at least 1");
        Require(mqtt.SharesConnections || !string.IsNullOrEmpty(mqtt.SecretSeed), "Mqtt:SecretSeed is required when devices connect as themselves (no Mqtt:UserName)");
        Require(mqtt.MaxInFlight >= 1, "Mqtt:MaxInFlight must be at least 1");
        Require(mqtt.MaxUnacknowledged >= 0, "Mqtt:MaxUnacknowledged must not be negative");
        Require(BrokersReadable(mqtt), "Mqtt:Brokers must be host:port entries separated by commas, ports 1-65535");
        Require(mqtt.ReconnectDelay > TimeSpan.Zero && mqtt.MaxReconnectDelay >= mqtt.ReconnectDelay,
            "Mqtt:ReconnectDelay must be positive and not above Mqtt:MaxReconnectDelay");

        Require(options.Hj212.Port is >= 0 and <= HighestPort, "Hj212:Port must be 0-65535 (0: sensors use MQTT)");
        Require(!options.Hj212.IsEnabled || !string.IsNullOrWhiteSpace(options.Hj212.Host), "Hj212:Host is required");
        Require(!options.Hj212.IsEnabled || options.Hj212.ReconnectDelay > TimeSpan.Zero, "Hj212:ReconnectDelay must be positive");
        // A monitor's PW is its registered secret; shared gateway connections register nothing, so HJ 212 could not sign in.
        Require(!options.Hj212.IsEnabled || !mqtt.SharesConnections, "Hj212:Port needs devices that register (no Mqtt:UserName)");

        Require(options.Load.MessagesPerSecond >= 0, "Load:MessagesPerSecond must not be negative");
        Require(!options.Load.IsEnabled || options.DeviceCount > 0, "load mode needs at least one device");
        Require(!options.Load.MaxRate || (options.DeviceCount > 0 && options.Load.MeasureFor > TimeSpan.Zero && options.Load.ConnectTimeout > TimeSpan.Zero),
            "Load:MaxRate needs at least one device and a positive Load:MeasureFor and Load:ConnectTimeout");
        Require(mqtt.QualityOfService is null or 0 or 1, "Mqtt:QualityOfService must be 0, 1 or unset (the device contract's choice per channel)");

        var area = options.Area;
        Require(area.SensorRadiusMeters > 0, "Area:SensorRadiusMeters must be positive");
        Require(area.StreetSpacingMeters > 0 && area.StreetSpacingMeters <= area.PatrolRadiusMeters,
            "Area:StreetSpacingMeters must be positive and not above Area:PatrolRadiusMeters");

        foreach (var spec in options.ExceedanceSpecs)
            if (!Exceedance.TryParse(spec, out _, out var error)) failures.Add(error);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static bool BrokersReadable(MqttOptions mqtt)
    {
        try { mqtt.BrokerList(); return true; }
        catch (FormatException) { return false; }
    }
}

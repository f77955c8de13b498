namespace CommandCenter.Simulators.Devices;

public enum DeviceKind { Handheld, Sensor, Camera }

public enum DeviceChannel { Telemetry, Status, Event }

/// <summary>When a report is made: the device's clock, and the time since the simulators started (for injected episodes).</summary>
public readonly record struct SimulationMoment(DateTimeOffset DeviceTime, TimeSpan Elapsed);

/// <summary>One MQTT message a device wants sent.</summary>
public readonly record struct DevicePublication(string Topic, DeviceChannel Channel, byte[] Payload);

/// <summary>A simulated device that reports on one channel of its topic <c>cc/{kind}/{id}/{channel}</c>.</summary>
public abstract class SimulatedDevice(DeviceKind kind, string id, DeviceChannel channel)
{
    public DeviceKind Kind { get; } = kind;
    public string Id { get; } = id;
    public string Topic { get; } = $"cc/{kind.ToString().ToLowerInvariant()}/{id}/{channel.ToString().ToLowerInvariant()}";

    /// <summary>Advances the device to <paramref name="moment"/> and returns what it reports.</summary>
    public abstract DevicePublication Report(SimulationMoment moment);

    /// <summary>A message the device has to send besides its report (an event), taken once; none by default.</summary>
    public virtual DevicePublication? TakeEvent(SimulationMoment moment) => null;

    protected DevicePublication Publish(byte[] payload) => new(Topic, channel, payload);
}

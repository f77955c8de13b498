using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Handhelds;
using CommandCenter.Simulators.Load;
using CommandCenter.Simulators.Mqtt;
using CommandCenter.Simulators.Registration;
using CommandCenter.Simulators.Sensors;

namespace CommandCenter.Simulators.Hosting;

/// <summary>Everything the simulators can be told; bound from the "Simulator" configuration section.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    public int Handhelds { get; set; } = 10;
    public int Sensors { get; set; } = 5;
    /// <summary>Number of the first handheld and sensor (default 1), so several simulator processes can report distinct fleets, e.g. one per node.</summary>
    public int FirstDeviceNumber { get; set; } = 1;
    public int Cameras { get; set; } = 3;

    public TimeSpan HandheldInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan SensorInterval { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan CameraInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Injected pollution episodes, each "sensorId:code:level:duration[@start]", e.g. "sensor-0003:a34004:240:5m@30s".</summary>
    public List<string> Exceedances { get; set; } = [];

    /// <summary>Used when <see cref="Exceedances"/> is empty, so that a plain demo run raises an alert. Empty turns it off.</summary>
    public string DemoExceedance { get; set; } = "sensor-0001:a34004:180:3m@20s";

    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop by itself after this long; zero runs until Ctrl+C.</summary>
    public TimeSpan RunDuration { get; set; } = TimeSpan.Zero;

    /// <summary>Same seed, same positions and walks; 0 picks a new seed each run.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>How often the scheduler wakes up to send the reports that have fallen due.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A device further behind its schedule than this skips the reports it missed instead of bursting to catch up.</summary>
    public TimeSpan MaxSchedulingLag { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The devices' clock: the offset written in every "ts", and the local time that drives the daily pollution cycle.</summary>
    public TimeSpan DeviceUtcOffset { get; set; } = TimeSpan.FromHours(8);

    public MqttOptions Mqtt { get; set; } = new();
    /// <summary>With a port, sensors report over HJ 212-2017 TCP instead of MQTT (PW = the secret they register).</summary>
    public Hj212.Hj212SimulatorOptions Hj212 { get; set; } = new();
    public LoadOptions Load { get; set; } = new();
    public AreaOptions Area { get; set; } = new();
    public WalkOptions Walk { get; set; } = new();
    public AirOptions Air { get; set; } = new();
    public CameraViewOptions CameraView { get; set; } = new();
    public CommandCenterOptions CommandCenter { get; set; } = new();

    public int DeviceCount => Handhelds + Sensors + Cameras;

    public IEnumerable<string> ExceedanceSpecs =>
        Exceedances.Count > 0 ? Exceedances
        : string.IsNullOrWhiteSpace(DemoExceedance) ? []
        : [DemoExceedance];
}

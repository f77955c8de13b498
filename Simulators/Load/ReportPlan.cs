using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Hosting;

namespace CommandCenter.Simulators.Load;

/// <summary>When a device reports first, and how often after that.</summary>
public readonly record struct ReportSchedule(SimulatedDevice Device, TimeSpan FirstReport, TimeSpan Interval);

public static class ReportPlan
{
    /// <summary>
    /// Normally each kind reports at its own interval; in load mode every device shares one interval so that
    /// together they reach the target rate. First reports are spread evenly over the interval to avoid bursts.
    /// </summary>
    public static ReportSchedule[] For(IReadOnlyList<SimulatedDevice> devices, SimulatorOptions options)
    {
        if (options.Load.IsEnabled)
        {
            var shared = TimeSpan.FromSeconds(devices.Count / options.Load.MessagesPerSecond);
            return [.. devices.Select((device, n) => new ReportSchedule(device, shared * n / devices.Count, shared))];
        }

        return [.. devices.GroupBy(device => device.Kind).SelectMany(kind =>
        {
            var interval = IntervalOf(kind.Key, options);
            var count = kind.Count();
            return kind.Select((device, n) => new ReportSchedule(device, interval * n / count, interval));
        })];
    }

    static TimeSpan IntervalOf(DeviceKind kind, SimulatorOptions options) => kind switch
    {
        DeviceKind.Handheld => options.HandheldInterval,
        DeviceKind.Sensor => options.SensorInterval,
        DeviceKind.Camera => options.CameraInterval,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

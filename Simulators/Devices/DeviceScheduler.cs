using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Load;
using CommandCenter.Simulators.Mqtt;

namespace CommandCenter.Simulators.Devices;

/// <summary>
/// Drives every device from one loop: on each tick it takes the devices whose report is due, in due order,
/// and hands their messages to the connection pool. One queue instead of a timer per device keeps
/// 100 000 devices cheap; it also means the devices and their shared Random are only touched from here.
/// </summary>
public sealed class DeviceScheduler(
    IOptions<SimulatorOptions> options, SimulatedFleet fleet, MqttConnectionPool pool, Hj212.Hj212Links hj212, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try { await pool.Ready.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        var schedule = ReportPlan.For(fleet.Devices, settings);
        var intervals = schedule.Select(s => ToTimestampTicks(s.Interval)).ToArray();
        var maxLag = ToTimestampTicks(settings.MaxSchedulingLag);

        var started = time.GetTimestamp();
        var dueQueue = new PriorityQueue<int, long>(schedule.Length);  // device index by due timestamp
        for (var index = 0; index < schedule.Length; index++)
            dueQueue.Enqueue(index, started + ToTimestampTicks(schedule[index].FirstReport));

        using var ticker = new PeriodicTimer(settings.TickInterval, time);
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetTimestamp();
                var moment = new SimulationMoment(DeviceClock(settings.DeviceUtcOffset), time.GetElapsedTime(started, now));
                while (dueQueue.TryPeek(out var index, out var due) && due <= now)
                {
                    var device = schedule[index].Device;
                    if (settings.Hj212.IsEnabled && device is Sensors.PollutionSensor sensor)
                        await hj212.SendAsync(sensor.Id, Hj212.Hj212Upload.RealTime(sensor.Id, settings.Mqtt.SecretOf(sensor.Id), moment.DeviceTime, sensor.Measure(moment)), stoppingToken);
                    else
                        await pool.PublishAsync(index, device.Id, device.Report(moment), stoppingToken);
                    if (device.TakeEvent(moment) is { } unitEvent) await pool.PublishAsync(index, device.Id, unitEvent, stoppingToken);
                    var next = due + intervals[index];
                    dueQueue.DequeueEnqueue(index, now - next > maxLag ? now : next);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    DateTimeOffset DeviceClock(TimeSpan utcOffset)
    {
        var utc = time.GetUtcNow();
        var wholeMilliseconds = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        return wholeMilliseconds.ToOffset(utcOffset);
    }

    long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}

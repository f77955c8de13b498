using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Reporting;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Load;
using CommandCenter.Simulators.Mqtt;

namespace CommandCenter.Simulators.Devices;

/// <summary>
/// Drives every device from one loop: on each tick it takes the devices whose report is due, in due order,
/// and hands their messages to the connection pool. One queue instead of a timer per device keeps
/// 100 000 devices cheap; it also means the devices and their shared Random are only touched from here.
/// In max-rate mode the same loop sends flat out instead of on schedule (<see cref="LoadOptions.MaxRate"/>).
/// </summary>
public sealed class DeviceScheduler(
    IOptions<SimulatorOptions> options, SimulatedFleet fleet, MqttConnectionPool pool, Hj212.Hj212Links hj212, TimeProvider time,
    SimulatorStats stats, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try { await pool.Ready.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        if (settings.Load.MaxRate)
        {
            await SendFlatOut(settings, stoppingToken);
            return;
        }
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
                    await Send(device, index, moment, settings, stoppingToken);
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

    ValueTask Send(SimulatedDevice device, int index, SimulationMoment moment, SimulatorOptions settings, CancellationToken cancellationToken) =>
        settings.Hj212.IsEnabled && device is Sensors.PollutionSensor sensor
            ? hj212.SendAsync(sensor.Id, Hj212.Hj212Upload.RealTime(sensor.Id, settings.Mqtt.SecretOf(sensor.Id), moment.DeviceTime, sensor.Measure(moment)), cancellationToken)
            : pool.PublishAsync(index, device.Id, device.Report(moment), cancellationToken);

    /// <summary>
    /// Waits until every MQTT device is connected (HJ 212 links connect on their first frame), then lets the devices
    /// report in turn with no pause for <see cref="LoadOptions.MeasureFor"/>: what paces it is the broker's
    /// acknowledgements and the sockets. Prints one result line for scripts, then stops the program.
    /// </summary>
    async Task SendFlatOut(SimulatorOptions settings, CancellationToken stoppingToken)
    {
        var load = settings.Load;
        var waitFrom = time.GetTimestamp();
        try
        {
            while (pool.ConnectedCount < pool.Count && time.GetElapsedTime(waitFrom) < load.ConnectTimeout)
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, stoppingToken);
            Console.WriteLine($"[sim] measuring: {pool.ConnectedCount}/{pool.Count} MQTT connections up after {time.GetElapsedTime(waitFrom).TotalSeconds:F1} s");

            var (sentBefore, failedBefore) = (stats.Sent, stats.Failed);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var started = time.GetTimestamp();
            var devices = fleet.Devices;
            var index = 0;
            while (time.GetElapsedTime(started) < load.MeasureFor)
            {
                var moment = new SimulationMoment(DeviceClock(settings.DeviceUtcOffset), time.GetElapsedTime(started));
                await Send(devices[index], index, moment, settings, stoppingToken);
                index = (index + 1) % devices.Count;
            }
            var seconds = time.GetElapsedTime(started).TotalSeconds;
            var (sent, failed) = (stats.Sent - sentBefore, stats.Failed - failedBefore);
            // The generator's own CPU, in cores: whether it, rather than the broker, set the pace.
            var cores = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds / seconds;
            Console.WriteLine(FormattableString.Invariant(
                $"[sim] result sent={sent} failed={failed} seconds={seconds:F2} rate={sent / seconds:F0} cpu={cores:F2} mqtt_connections={pool.ConnectedCount}/{pool.Count} hj212_links={hj212.ConnectedCount}"));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        lifetime.StopApplication();
    }

    DateTimeOffset DeviceClock(TimeSpan utcOffset)
    {
        var utc = time.GetUtcNow();
        var wholeMilliseconds = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        return wholeMilliseconds.ToOffset(utcOffset);
    }

    long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Mqtt;

namespace CommandCenter.Simulators.Reporting;

/// <summary>Prints a progress line every few seconds, and a final summary when the simulators stop.</summary>
public sealed class SummaryReporter(
    IOptions<SimulatorOptions> options, SimulatorStats stats, MqttConnectionPool pool, TimeProvider time)
    : BackgroundService
{
    readonly SimulatorOptions settings = options.Value;
    readonly long started = time.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticker = new PeriodicTimer(settings.SummaryInterval, time);
        var previousSent = stats.Sent;
        var previousAt = time.GetTimestamp();
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                var sent = stats.Sent;
                var now = time.GetTimestamp();
                var rate = (sent - previousSent) / time.GetElapsedTime(previousAt, now).TotalSeconds;
                (previousSent, previousAt) = (sent, now);

                Console.WriteLine(
                    $"[sim] {time.GetLocalNow():HH:mm:ss} playing {settings.Handhelds} handhelds, {settings.Sensors} sensors, {settings.Cameras} cameras" +
                    $" | {Counters(sent, Rate(rate))} | MQTT connections up {pool.ConnectedCount} of {pool.Count}{LoadTarget}");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Registered before the pool, so this runs after the connections have drained and the counts are final.
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        var sent = stats.Sent;
        var average = stats.FirstConnectedAt is { } connectedAt ? sent / time.GetElapsedTime(connectedAt).TotalSeconds : 0;
        var line = $"[sim] stopped after {time.GetElapsedTime(started):hh\\:mm\\:ss} | {Counters(sent, $"{Rate(average)} on average since first connected")}";
        if (stats.FirstConnectedAt is not null && settings.Load.IsEnabled)
            line += $" | target {settings.Load.MessagesPerSecond:F0}/s, achieved {average / settings.Load.MessagesPerSecond:P1}";
        Console.WriteLine(line);
    }

    // Each counter with what it counts (docs/simulators.md, "The summary line").
    string Counters(long sent, string rate) =>
        $"sent {sent} msg ({rate}) | acked {stats.Acked} (QoS 1) | refused {stats.Refused} by the gateway" +
        $" | not sent {stats.Unsent} (connection down) | reconnects {stats.Reconnects}";

    // Decimals only where they carry information: "2.6/s" for a demo, "19874/s" under load.
    static string Rate(double perSecond) => perSecond >= WholeRatesFrom ? $"{perSecond:F0}/s" : $"{perSecond:0.#}/s";
    const double WholeRatesFrom = 100;

    string LoadTarget => settings.Load.IsEnabled ? $" | target {settings.Load.MessagesPerSecond:F0}/s" : "";
}

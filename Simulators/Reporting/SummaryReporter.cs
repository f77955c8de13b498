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
                    $"[sim] {time.GetLocalNow():HH:mm:ss} handhelds {settings.Handhelds} sensors {settings.Sensors} cameras {settings.Cameras}" +
                    $" | sent {sent} ({Rate(rate)}) | failed {stats.Failed} | connected {pool.ConnectedCount}/{pool.Count}{LoadTarget}");
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
        var line = $"[sim] stopped after {time.GetElapsedTime(started):hh\\:mm\\:ss} | sent {sent} | failed {stats.Failed}";
        if (stats.FirstConnectedAt is { } connectedAt)
        {
            var rate = sent / time.GetElapsedTime(connectedAt).TotalSeconds;
            line += $" | {Rate(rate)} on average since first connected";
            if (settings.Load.IsEnabled)
                line += $" | target {settings.Load.MessagesPerSecond:F0}/s, achieved {rate / settings.Load.MessagesPerSecond:P1}";
        }
        Console.WriteLine(line);
    }

    // Decimals only where they carry information: "2.6/s" for a demo, "19874/s" under load.
    static string Rate(double perSecond) => perSecond >= WholeRatesFrom ? $"{perSecond:F0}/s" : $"{perSecond:0.#}/s";
    const double WholeRatesFrom = 100;

    string LoadTarget => settings.Load.IsEnabled ? $" | target {settings.Load.MessagesPerSecond:F0}/s" : "";
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Simulators.Hosting;

/// <summary>Stops the program after <see cref="SimulatorOptions.RunDuration"/>, as if Ctrl+C had been pressed.</summary>
public sealed class RunDurationLimit(IOptions<SimulatorOptions> options, IHostApplicationLifetime lifetime, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var duration = options.Value.RunDuration;
        if (duration <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(duration, time, stoppingToken);
            lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

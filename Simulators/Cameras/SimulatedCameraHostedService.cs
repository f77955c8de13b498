using Microsoft.Extensions.Hosting;

namespace CommandCenter.Simulators.Cameras;

/// <summary>Runs the <see cref="SimulatedCameraServer"/> for the lifetime of the host.</summary>
public sealed class SimulatedCameraHostedService(SimulatedCameraServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}

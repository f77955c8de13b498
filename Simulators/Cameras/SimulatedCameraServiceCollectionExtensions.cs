using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Simulators.Cameras;

public static class SimulatedCameraServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated RTSP cameras (options from the <c>SimulatedCameras</c> section) and a hosted
    /// service that serves them; resolve <see cref="SimulatedCameraServer"/> to script failures.
    /// </summary>
    public static IServiceCollection AddSimulatedCameras(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SimulatedCameraOptions>(configuration.GetSection(SimulatedCameraOptions.SectionName));
        services.AddSingleton(sp => new SimulatedCameraServer(
            sp.GetRequiredService<IOptions<SimulatedCameraOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<SimulatedCameraHostedService>();
        return services;
    }
}

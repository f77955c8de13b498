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
        services.AddOptions<SimulatedCameraOptions>().Bind(configuration.GetSection(SimulatedCameraOptions.SectionName))
            .Validate(o => o.Port is >= 0 and <= 65535 && o.CameraCount >= 0 && o.Width > 0 && o.Height > 0 && o.FramesPerSecond > 0
                           && o.BitrateKbps > 0 && o.KeyframeInterval > TimeSpan.Zero && o.ViewerQueuePackets > 0,
                $"{SimulatedCameraOptions.SectionName}: Port 0..65535, CameraCount not negative; Width, Height, FramesPerSecond, BitrateKbps, KeyframeInterval and ViewerQueuePackets positive")
            .ValidateOnStart();
        services.AddSingleton(sp => new SimulatedCameraServer(
            sp.GetRequiredService<IOptions<SimulatedCameraOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<SimulatedCameraHostedService>();
        return services;
    }
}

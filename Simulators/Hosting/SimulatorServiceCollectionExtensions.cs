using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using CommandCenter.Simulators.Cameras;
using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Registration;
using CommandCenter.Simulators.Mqtt;
using CommandCenter.Simulators.Reporting;

namespace CommandCenter.Simulators.Hosting;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>Registers every simulator; each one is a hosted service, so a new simulator is one more line here.</summary>
    public static IServiceCollection AddSimulators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SimulatorStats>();
        services.AddSingleton<DeviceRegistrar>();
        services.AddSingleton<MqttConnectionPool>();
        services.AddSingleton<Hj212.Hj212Links>();
        services.AddSingleton(sp => SimulatedFleet.Create(
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value, sp.GetRequiredService<ILogger<SimulatedFleet>>()));

        // The RTSP camera server serves exactly the fleet's cameras, under the same ids.
        services.AddSimulatedCameras(configuration);
        services.AddOptions<SimulatedCameraOptions>().PostConfigure<IOptions<SimulatorOptions>>((cameras, simulator) =>
        {
            cameras.CameraCount = simulator.Value.Cameras;
            cameras.IdFormat = DeviceFleet.IdFormat("cam", simulator.Value.Cameras);
        });

        // Hosted services start in this order and stop in reverse: the summary stops last, with final counts;
        // the pool starts connecting before the first report and stops after the last one, once it has drained.
        services.AddHostedService<SummaryReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<DeviceRegistrar>());
        services.AddHostedService(provider => provider.GetRequiredService<MqttConnectionPool>());
        services.AddHostedService(provider => provider.GetRequiredService<Hj212.Hj212Links>());
        services.AddHostedService<DeviceScheduler>();
        services.AddHostedService<CameraRegistrar>();
        services.AddHostedService<RunDurationLimit>();
        return services;
    }
}

using CommandCenter.DeviceGateway.Mqtt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.DeviceGateway;

public static class Extensions
{
    /// <summary>The device gateway: contract checks, routing to grains and, unless switched off, the embedded MQTT broker.</summary>
    public static IServiceCollection AddDeviceGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        services.Configure<MqttOptions>(configuration.GetSection(MqttOptions.Section));
        services.AddSingleton(sp =>
        {
            var stats = ActivatorUtilities.CreateInstance<GatewayStats>(sp);
            stats.RegisterInstruments();
            return stats;
        });
        services.AddSingleton<DeviceMessageRouter>();
        if (configuration.GetSection(MqttOptions.Section).Get<MqttOptions>()?.EmbeddedBroker ?? true)
            services.AddHostedService<EmbeddedBroker>();
        return services;
    }
}

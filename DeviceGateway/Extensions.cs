using CommandCenter.DeviceGateway.Mqtt;
using Microsoft.Extensions.Configuration;
using CommandCenter.DeviceGateway.Contract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommandCenter.DeviceGateway;

public static class Extensions
{
    /// <summary>The device gateway: contract checks, routing to grains and, unless switched off, the embedded MQTT broker.</summary>
    public static IServiceCollection AddDeviceGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .Validate(o => o.MaxPayloadBytes is >= 1024 and <= 268_435_455, $"{GatewayOptions.Section}:MaxPayloadBytes must be 1024..268435455 (the MQTT maximum)")
            .Validate(o => o.MaxValuesPerMessage > 0, $"{GatewayOptions.Section}:MaxValuesPerMessage must be at least 1")
            .Validate(o => o.MaxClockAhead >= TimeSpan.Zero && o.MaxClockBehind > TimeSpan.Zero, $"{GatewayOptions.Section}:MaxClockAhead / MaxClockBehind must not be negative")
            .ValidateOnStart();
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section)
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), $"{MqttOptions.Section}:BindAddress must be an IP address (0.0.0.0, ::, 127.0.0.1, ::1 …)")
            .Validate(o => o.MaxPendingBytesPerClient > 0, $"{MqttOptions.Section}:MaxPendingBytesPerClient must be at least 1")
            .Validate(o => o.MaxSessionExpiry > TimeSpan.Zero && o.MaxSessionExpiry.TotalSeconds < uint.MaxValue && o.MaxKeptSessions >= 0,
                $"{MqttOptions.Section}:MaxSessionExpiry must be positive (and under 136 years) and MaxKeptSessions at least 0")
            .Validate(o => o.TlsPort is null || (o.TlsPort is > 0 and <= 65535 && o.TlsPort != o.Port && File.Exists(o.TlsCertificate)
                    && (o.TlsKey.Length == 0 || File.Exists(o.TlsKey))),
                $"{MqttOptions.Section}:TlsPort needs a free port other than Mqtt:Port and an existing Mqtt:TlsCertificate (and Mqtt:TlsKey, if given)")
            .Validate(o => o.GatewayUsers.Values.All(p => p.Length >= Registry.DeviceRegistry.MinSecretLength),
                $"{MqttOptions.Section}:GatewayUsers passwords must be at least {Registry.DeviceRegistry.MinSecretLength} characters")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DeviceMessageParser>();
        services.AddSingleton(sp =>
        {
            var stats = ActivatorUtilities.CreateInstance<GatewayStats>(sp);
            stats.RegisterInstruments();
            return stats;
        });
        services.AddSingleton<DeviceMessageRouter>();
        services.AddSingleton<Registry.DeviceRegistry>();
        services.AddHostedService<Registry.RegistryFollower>();
        services.AddSingleton<Registry.MosquittoExport>();
        services.AddOptions<Commands.CommandOptions>().BindConfiguration(Commands.CommandOptions.Section)
            .Validate(o => o.AckTimeout > TimeSpan.Zero && o.Attempts is >= 1 and <= 10, $"{Commands.CommandOptions.Section}:AckTimeout must be positive and Attempts 1..10")
            .ValidateOnStart();
        services.AddSingleton<Commands.DeviceCommands>();
        services.AddSingleton<CommandCenter.Grains.Dispatch.ITaskSender, Commands.TaskDelivery>();
        services.AddOptions<Hj212.Hj212Options>().BindConfiguration(Hj212.Hj212Options.Section)
            .Validate(o => o.Port is null or (>= 0 and <= 65535), $"{Hj212.Hj212Options.Section}:Port must be 0..65535")
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), $"{Hj212.Hj212Options.Section}:BindAddress must be an IP address (0.0.0.0, ::, 127.0.0.1, ::1 …)")
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.SplitTimeout > TimeSpan.Zero, $"{Hj212.Hj212Options.Section}:IdleTimeout and SplitTimeout must be positive")
            .Validate(o => o.MaxDataLength is >= 64 and <= 9999, $"{Hj212.Hj212Options.Section}:MaxDataLength must be 64..9999 (four decimal digits)")
            .Validate(o => o.MaxPendingSplits >= 1 && o.MaxSplitParts is >= 2 and <= 9999 && o.MaxConnections >= 1,
                $"{Hj212.Hj212Options.Section}:MaxPendingSplits and MaxConnections must be at least 1, MaxSplitParts 2..9999")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), $"{Hj212.Hj212Options.Section}:TimeZone must be a time zone id such as Asia/Shanghai")
            .ValidateOnStart();
        services.AddOptions<Registry.DeviceSignInOptions>().BindConfiguration(Registry.DeviceSignInOptions.Section)
            .Validate(o => o.FailuresPerAddress >= 1 && o.FailuresPerDevice >= 1 && o.Window > TimeSpan.Zero,
                $"{Registry.DeviceSignInOptions.Section}:FailuresPerAddress and FailuresPerDevice must be at least 1, Window positive")
            .Validate(o => o.MaxConcurrentChecks >= 0 && o.MaxQueuedChecks >= 1,
                $"{Registry.DeviceSignInOptions.Section}:MaxConcurrentChecks must not be negative (0: half the cores), MaxQueuedChecks at least 1")
            .ValidateOnStart();
        services.AddSingleton<Registry.DeviceSignIn>();
        services.AddSingleton<Hj212.Hj212Ingest>();
        services.AddHostedService<Hj212.Hj212Listener>();
        if (configuration.GetSection(MqttOptions.Section).Get<MqttOptions>()?.EmbeddedBroker ?? true)
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
            services.AddHealthChecks().AddCheck<EmbeddedBroker>("mqtt-broker");
        }
        else
            services.AddExternalBroker();
        return services;
    }

    /// <summary>The gateway as a client of an external broker, with its connection on <c>/health</c>.</summary>
    private static void AddExternalBroker(this IServiceCollection services)
    {
        services.AddOptions<MqttOptions>()
            .Validate(o => o.Host.Length > 0 && o.Port is > 0 and <= 65535, $"{MqttOptions.Section}:Host and Port must name the external broker")
            .Validate(o => System.Text.RegularExpressions.Regex.IsMatch(o.SharedGroup, "^[A-Za-z0-9._-]{1,64}$"),
                $"{MqttOptions.Section}:SharedGroup must be 1-64 of A-Z a-z 0-9 . _ - (no '/', '+' or '#')")
            .Validate(o => o.EffectiveClientId.Length <= 256 && !o.EffectiveClientId.Any(c => char.IsControl(c) || c is '/' or '+' or '#'),
                $"{MqttOptions.Section}:ClientId must be at most 256 characters without control characters, '/', '+' or '#'")
            .Validate(o => !o.UserName.Any(c => char.IsControl(c) || c is ':' or ' '), $"{MqttOptions.Section}:UserName must not hold ':', spaces or control characters")
            .Validate(o => o.SessionExpiry >= TimeSpan.FromSeconds(1) && o.SessionExpiry.TotalSeconds < uint.MaxValue,
                $"{MqttOptions.Section}:SessionExpiry must be at least 1 s")
            .Validate(o => o.ReconnectBackoffInitial > TimeSpan.Zero && o.ReconnectBackoffMax >= o.ReconnectBackoffInitial,
                $"{MqttOptions.Section}:ReconnectBackoffInitial must be positive and ReconnectBackoffMax at least as long");
        services.AddSingleton<ExternalBrokerClient>();
        services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerClient>());
        services.AddHealthChecks().AddCheck<ExternalBrokerClient>("mqtt-broker");
    }
}

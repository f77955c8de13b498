using Microsoft.AspNetCore.DataProtection;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.History;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Pollution;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;

namespace CommandCenter.Grains;

public static class Extensions
{
    /// <summary>Everything the grains need inside a silo: embedded storage, options, the live board.</summary>
    public static ISiloBuilder AddCommandCenterGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => o.MaxWriteBatch > 0 && o.MaxReadBatch > 0, $"{StorageOptions.Section}: MaxWriteBatch and MaxReadBatch must be at least 1")
            .Validate(o => !o.UsesPostgreSql || PostgreSqlConnectionString.IsValid(o.PostgreSql),
                $"{StorageOptions.Section}:PostgreSql is not an Npgsql connection string (Host=…;Port=…;Database=…;Username=…)")
            .ValidateOnStart();
        services.AddOptions<DeviceOptions>().BindConfiguration(DeviceOptions.Section)
            .Validate(o => o.MaxReadingsPerDevice > 0, $"{DeviceOptions.Section}:MaxReadingsPerDevice must be at least 1")
            .ValidateOnStart();
        services.AddOptions<PollutionOptions>().BindConfiguration(PollutionOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PollutionOptions>, PollutionOptionsValidation>();
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section)
            .Validate(o => o.IsValid(), $"{AlertOptions.Section}: GroupOfflineAbove must not be negative, GroupOfflineWindow and RepeatSaveInterval must be positive")
            .ValidateOnStart();
        // A zero push interval would spin the board's loop; an unknown severity name would leave the binder's default silently.
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section)
            .Validate(o => o.PushInterval >= TimeSpan.FromMilliseconds(10) && o.PushInterval <= TimeSpan.FromHours(1),
                $"{LiveOptions.Section}:PushInterval must be between 00:00:00.010 and 01:00:00")
            .ValidateOnStart();
        services.AddOptions<VideoAlertOptions>().BindConfiguration(VideoAlertOptions.Section)
            .Validate(o => Enum.IsDefined(o.StreamLostSeverity), $"{VideoAlertOptions.Section}:StreamLostSeverity must be warning, minor, major or critical")
            .ValidateOnStart();
        services.AddOptions<CameraCoverageOptions>().BindConfiguration(CameraCoverageOptions.Section)
            .Validate(o => o.MaxCameras is >= 1 and <= 100 && o.NearRadiusMeters >= 0 && o.FallbackRadiusMeters >= o.NearRadiusMeters
                           && o.FallbackRadiusMeters <= 100_000,
                $"{CameraCoverageOptions.Section}: MaxCameras must be 1..100, NearRadiusMeters not negative, FallbackRadiusMeters at least NearRadiusMeters and at most 100000")
            .ValidateOnStart();
        services.AddOptions<Video.VideoClusterOptions>().BindConfiguration(Video.VideoClusterOptions.Section)
            .Validate(o => o.IsValid(), $"{Video.VideoClusterOptions.Section}: LeaseLength and RenewInterval must be positive, RenewInterval below LeaseLength")
            .ValidateOnStart();
        services.AddSingleton<CameraCoverage>();
        services.AddSingleton<RefusedReadings>();
        // Camera stream URLs are stored encrypted; the host decides where the keys live (see AddAccounts).
        services.AddDataProtection();
        services.AddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(RuleClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddSingleton<SqliteStore>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        services.AddSingleton<GrainStateReads>();
        services.AddSingleton<SqliteGrainStorage>();
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());
        services.AddSingleton<IGrainStateScan>(sp => sp.GetRequiredService<SqliteGrainStorage>());
        // The one setting read at registration: it chooses the records' provider.
        if (string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.PostgreSql)}"]))
            services.AddSingleton<IRecordDatabase>(sp => sp.GetRequiredService<SqliteStore>());
        else
            services.AddSingleton<IRecordDatabase, PostgreSqlRecordDatabase>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<PictureStore>();
        services.AddSingleton<Dispatch.IncidentStore>();
        services.AddOptions<Dispatch.DispatchOptions>().BindConfiguration(Dispatch.DispatchOptions.Section)
            .Validate(o => o.IsValid(), $"{Dispatch.DispatchOptions.Section}: AckTimeout must be positive, Attempts 1..10, ArrivalRadiusMeters 0..10000, RememberedMoveKeys 1..10000")
            .ValidateOnStart();
        // The device gateway, where it runs, carries tasks to handhelds instead.
        services.TryAddSingleton<Dispatch.ITaskSender, Dispatch.UncarriedTasks>();
        services.AddHistory();
        services.AddCases();
        services.AddSingleton<LiveBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveBoard>());
        services.AddLiveFeed();
        services.AddSingleton<DeviceWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceWatch>());
        // A cluster keeps reminders in Redis; one embedded node keeps them in its own store, so they outlive a restart.
        if (string.IsNullOrEmpty(configuration["Cluster:Redis"])) silo.UseSqliteReminders();
        services.AddSingleton<Districts.OfflineNotices>();
        services.AddHostedService(sp => sp.GetRequiredService<Districts.OfflineNotices>());
        return silo;
    }
}

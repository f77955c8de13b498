using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Http;
using CommandCenter.VideoRelay.Snapshots;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.VideoRelay.Tests.Infrastructure;

/// <summary>A real web host (Kestrel on a free loopback port) running the relay, as the application will.</summary>
public sealed class RelayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsWorkDirectory;
    private bool _stopped;

    private RelayHost(WebApplication app, string workDirectory, bool ownsWorkDirectory, CameraDirectory cameras,
        RecordingHealthReporter health, CollectingLoggerProvider logs)
    {
        _app = app;
        WorkDirectory = workDirectory;
        _ownsWorkDirectory = ownsWorkDirectory;
        Cameras = cameras;
        Health = health;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string WorkDirectory { get; }
    public CameraDirectory Cameras { get; }
    public RecordingHealthReporter Health { get; }
    public CollectingLoggerProvider Logs { get; }
    public HttpClient Http { get; }
    public IVideoRelay Relay => _app.Services.GetRequiredService<IVideoRelay>();
    public ISnapshotService Snapshots => _app.Services.GetRequiredService<ISnapshotService>();
    public IServiceProvider Services => _app.Services;

    /// <summary>Options tuned so that failures are noticed and recovered within a few seconds.</summary>
    public static Dictionary<string, TimeSpan> FastTimings() => new()
    {
        ["ReadTimeout"] = TimeSpan.FromSeconds(1.5),
        ["RestartBackoffInitial"] = TimeSpan.FromMilliseconds(300),
        ["RestartBackoffMax"] = TimeSpan.FromSeconds(1),
        ["FirstSegmentTimeout"] = TimeSpan.FromSeconds(10),
        ["StallTimeout"] = TimeSpan.FromSeconds(6),
        ["PlaylistWaitTimeout"] = TimeSpan.FromSeconds(10),
        ["IdleStopAfter"] = TimeSpan.FromMinutes(5),
        ["IdleCheckInterval"] = TimeSpan.FromMilliseconds(500),
        ["SnapshotTimeout"] = TimeSpan.FromSeconds(10),
        ["StopGracePeriod"] = TimeSpan.FromSeconds(1),
    };

    public static async Task<RelayHost> StartAsync(
        CameraDirectory cameras, IReadOnlyDictionary<string, string>? settings = null, string? workDirectory = null)
    {
        var ownsWorkDirectory = workDirectory is null;
        workDirectory ??= Path.Combine(Path.GetTempPath(), "video-relay-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDirectory);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = workDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var configuration = FastTimings().ToDictionary(
            kv => $"{VideoRelayOptions.SectionName}:{kv.Key}", kv => (string?)kv.Value.ToString("c", CultureInfo.InvariantCulture));
        configuration[$"{VideoRelayOptions.SectionName}:WorkDirectory"] = "relay";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            configuration[$"{VideoRelayOptions.SectionName}:{key}"] = value;
        builder.Configuration.AddInMemoryCollection(configuration);

        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        var health = new RecordingHealthReporter();
        builder.Services.AddSingleton<ICameraDirectory>(cameras);
        builder.Services.AddSingleton<ICameraHealthReporter>(health);
        builder.Services.AddVideoRelay(builder.Configuration);

        var app = builder.Build();
        app.MapVideoRelay();
        await app.StartAsync();
        return new RelayHost(app, workDirectory, ownsWorkDirectory, cameras, health, logs);
    }

    /// <summary>The relay's own work directory (absolute); every ffmpeg of this host has it in its command line.</summary>
    public string RelayDirectory => Path.Combine(WorkDirectory, "relay");

    /// <summary>Asks for a camera's playlist as a player does: a stream still starting answers 503, so ask again.</summary>
    public Task<HttpResponseMessage> PlaylistAsync(string cameraId, TimeSpan timeout) => Eventually.GetAsync(async () =>
    {
        var answer = await Http.GetAsync($"/video/{cameraId}/index.m3u8");
        return answer.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable ? null : answer;
    }, timeout, $"a playlist of {cameraId}");

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
        if (_ownsWorkDirectory)
        {
            try { Directory.Delete(WorkDirectory, recursive: true); }
            catch (IOException) { }
        }
    }
}

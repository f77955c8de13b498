using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Cameras;

/// <summary>
/// Calls the application's <see cref="ICameraDirectory"/> and <see cref="ICameraHealthReporter"/> in a scope of
/// their own, so the application may register them with any lifetime.
/// </summary>
internal sealed class CameraServices(IServiceScopeFactory scopes, IOptions<VideoRelayOptions> options, ILogger<CameraServices> logger)
{
    public async ValueTask<CameraSource?> FindAsync(string cameraId, CancellationToken ct)
    {
        if (!CameraIds.IsValid(cameraId)) return null;
        await using var scope = scopes.CreateAsyncScope();
        var source = await scope.ServiceProvider.GetRequiredService<ICameraDirectory>().FindAsync(cameraId, ct);
        return source is not null && source.Id == cameraId ? source : null;
    }

    /// <summary>Reports health; failures are logged, never thrown, so a broken reporter cannot stop a stream.</summary>
    public async Task ReportAsync(string cameraId, bool online, string? reason)
    {
        using var timeout = new CancellationTokenSource(options.Value.HealthReportTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ICameraHealthReporter>().ReportAsync(cameraId, online, reason, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Reporting camera {CameraId} {Health} failed", cameraId, online ? "online" : "offline");
        }
    }
}

using System.Collections.Concurrent;
using CommandCenter.VideoRelay.Cameras;

namespace CommandCenter.VideoRelay.Tests.Infrastructure;

public sealed record HealthReport(string CameraId, bool Online, string? Reason, DateTimeOffset At);

/// <summary>Keeps every health report so tests can wait for the ones they expect.</summary>
public sealed class RecordingHealthReporter : ICameraHealthReporter
{
    private readonly ConcurrentQueue<HealthReport> _reports = new();

    public IReadOnlyList<HealthReport> Reports => [.. _reports];

    public Task ReportAsync(string cameraId, bool online, string? reason, CancellationToken ct)
    {
        _reports.Enqueue(new HealthReport(cameraId, online, reason, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    /// <summary>Waits for a report about <paramref name="cameraId"/> later than the first <paramref name="after"/> reports.</summary>
    public Task<HealthReport> WaitForAsync(string cameraId, bool online, TimeSpan timeout, int after = 0) =>
        Eventually.GetAsync(
            () => Reports.Skip(after).FirstOrDefault(r => r.CameraId == cameraId && r.Online == online),
            timeout, $"{cameraId} reported {(online ? "online" : "offline")}");
}

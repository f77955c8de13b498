using System.Collections.Concurrent;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay.Snapshots;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.Web.Video;

public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>Snapshots taken when alerts fire, inside the data directory: {alert id}/{camera id}.jpg.</summary>
    public string Directory { get; set; } = "evidence";
    /// <summary>Alerts remembered as already handled, so a repeat does not take pictures again.</summary>
    public int RememberedAlerts { get; set; } = 10_000;
}

/// <summary>
/// When an alert fires, takes a JPEG from every camera that sees its place and keeps it with the
/// alert as evidence, and warms those cameras' streams so the video wall opens at once.
/// </summary>
public sealed class EvidenceCollector(
    LiveBoard board, ISnapshotService snapshots, IVideoRelay relay,
    IOptions<EvidenceOptions> options, IOptions<StorageOptions> storage, ILogger<EvidenceCollector> logger) : IHostedService
{
    private readonly ConcurrentDictionary<string, byte> _handled = new();
    private readonly CancellationTokenSource _stopping = new();

    public string Root => Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), options.Value.Directory);

    public string PathOf(string alertId, string cameraId) => Path.Combine(Root, alertId, $"{cameraId}.jpg");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        board.Changed += OnChanges;
        return Task.CompletedTask;
    }

    private void OnChanges(LiveChanges changes)
    {
        foreach (var alert in changes.Alerts)
        {
            if (alert is not { State: AlertState.ActiveUnacknowledged, Occurrences: 1, Cameras.Count: > 0 }) continue;
            if (!_handled.TryAdd(alert.Id, 0)) continue;
            if (_handled.Count > options.Value.RememberedAlerts) _handled.Clear();
            _ = Collect(alert);
        }
    }

    private async Task Collect(Alert alert)
    {
        Directory.CreateDirectory(Path.Combine(Root, alert.Id));
        await Task.WhenAll(alert.Cameras!.Select(async camera =>
        {
            try
            {
                await relay.EnsureStreamingAsync(camera, _stopping.Token);
                var jpeg = await snapshots.TakeAsync(camera, _stopping.Token);
                await File.WriteAllBytesAsync(PathOf(alert.Id, camera), jpeg, _stopping.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("No evidence from camera {Camera} for alert {Alert}: {Reason}", camera, alert.Id, e.Message);
            }
        }));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        board.Changed -= OnChanges;
        _stopping.Cancel();
        return Task.CompletedTask;
    }
}

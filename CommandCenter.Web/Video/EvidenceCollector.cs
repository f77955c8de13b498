using System.Collections.Concurrent;
using System.Numerics;
using System.Threading.Channels;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Snapshots;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.Web.Video;

public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>
    /// Where snapshots were kept as files ({alert id}/{camera id}.jpg, inside the data directory) before they were kept in
    /// the record database: imported from there once at start-up (docs/storage.md). Default "evidence".
    /// </summary>
    public string Directory { get; set; } = "evidence";
    /// <summary>The largest snapshot kept; a larger one is refused and counted. Default 8 MiB (a 4K JPEG is about 1-3 MB).</summary>
    public long MaxSnapshotBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Alerts remembered as already handled, so a repeat does not take pictures again.</summary>
    public int RememberedAlerts { get; set; } = 10_000;
    /// <summary>Alerts waiting for their pictures; when full, further alerts get none (counted and logged). Default 256.</summary>
    public int QueueCapacity { get; set; } = 256;
    /// <summary>Alerts whose pictures are taken at the same time. Default 2.</summary>
    public int MaxConcurrentAlerts { get; set; } = 2;
    /// <summary>A camera whose snapshot failed is not asked again for this long. Default 1 minute.</summary>
    public TimeSpan FailedCameraCooldown { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>A camera's picture this recent serves as evidence for another alert without asking again. Default 10 s.</summary>
    public TimeSpan ReuseSnapshotFor { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// When an alert fires, takes a JPEG from every camera that sees its place and keeps it with the
/// alert as evidence, and warms those cameras' streams so the video wall opens at once.
/// Alerts can arrive by the hundred (a crowd of handhelds raising SOS) while cameras are slow or dead,
/// so the work is bounded: a queue of limited size, a few alerts at a time, one request per camera at a time,
/// and a camera that failed is left alone for a while. Nothing here may throw into the live feed or the host.
/// It hears alerts from the live feed as their grains publish them (<see cref="LiveFeed.AlertPublished"/>), on the one
/// node where each alert's grain runs, so however many nodes the city has, an alert is photographed once. The pictures
/// are kept in the record database (<see cref="PictureStore"/>, key <c>evidence/{alert}/{camera}</c>), so every node
/// serves them.
/// </summary>
public sealed class EvidenceCollector(
    LiveFeed feed, ISnapshotService snapshots, IVideoRelay relay, PictureStore pictures, TimeProvider time,
    IOptions<EvidenceOptions> options, ILogger<EvidenceCollector> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _handled = new();
    private readonly ConcurrentDictionary<string, CameraMemory> _cameras = new(StringComparer.Ordinal);
    private readonly Channel<Alert> _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private long _dropped;
    private long _failed;
    private long _skipped;
    private long _refused;
    private long _unsaved;
    private long _errors;

    public const string KeyPrefix = "evidence/";

    /// <summary>The key of an alert's snapshot from a camera in the <see cref="PictureStore"/>.</summary>
    public static string KeyOf(string alertId, string cameraId) => $"{KeyPrefix}{alertId}/{cameraId}";

    /// <summary>The snapshot of the alert from the camera, with its bytes, or null when none was kept.</summary>
    public Task<StoredPicture?> FindAsync(string alertId, string cameraId) =>
        CameraIds.IsValid(alertId) && CameraIds.IsValid(cameraId) ? pictures.FindAsync(KeyOf(alertId, cameraId)) : Task.FromResult<StoredPicture?>(null);

    /// <summary>The alert's snapshots by camera, without their bytes.</summary>
    public async Task<IReadOnlyDictionary<string, PictureInfo>> SnapshotsOfAsync(string alertId)
    {
        if (!CameraIds.IsValid(alertId)) return new Dictionary<string, PictureInfo>();
        var prefix = KeyOf(alertId, "");
        return (await pictures.ListAsync(prefix)).ToDictionary(p => p.Key[prefix.Length..], StringComparer.Ordinal);
    }

    /// <summary>Alerts that got no pictures because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    /// <summary>Snapshots that failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);
    /// <summary>Cameras not asked because they failed recently.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);
    /// <summary>Snapshots refused: larger than <see cref="EvidenceOptions.MaxSnapshotBytes"/>, or not a JPEG.</summary>
    public long Refused => Interlocked.Read(ref _refused);
    /// <summary>Snapshots taken that the record database did not take (it was unreachable).</summary>
    public long Unsaved => Interlocked.Read(ref _unsaved);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        feed.AlertPublished += OnAlert;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        feed.AlertPublished -= OnAlert;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.MaxConcurrentAlerts)).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    /// <summary>Runs on the alert grain's call (grains of many alerts at once); only queues, so a grain never waits for a camera.</summary>
    private void OnAlert(Alert alert)
    {
        try
        {
            if (alert is not { State: AlertState.ActiveUnacknowledged, Occurrences: 1, Cameras.Count: > 0 }) return;
            if (!_handled.TryAdd(alert.Id, 0)) return;
            if (_handled.Count > options.Value.RememberedAlerts) _handled.Clear();
            if (_queue.Writer.TryWrite(alert)) return;
            var dropped = Interlocked.Increment(ref _dropped);
            if (BitOperations.IsPow2(dropped))
                logger.LogWarning("Evidence queue full ({Capacity} alerts): alert {Alert} gets no pictures ({Dropped} alerts so far)",
                    options.Value.QueueCapacity, alert.Id, dropped);
        }
        catch (Exception e)
        {
            Unexpected(e);
        }
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(stopping))
            {
                try
                {
                    await Task.WhenAll(alert.Cameras!.Distinct(StringComparer.Ordinal).Select(camera => CollectAsync(alert.Id, camera, stopping)));
                }
                catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    Unexpected(e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task CollectAsync(string alertId, string camera, CancellationToken stopping)
    {
        if (!CameraIds.IsValid(camera)) return;
        var memory = _cameras.GetOrAdd(camera, _ => new CameraMemory());
        // One request per camera at a time: the others wait and then use its result, good or bad.
        await memory.Gate.WaitAsync(stopping);
        try
        {
            var now = time.GetUtcNow();
            if (now < memory.CoolingUntil)
            {
                Interlocked.Increment(ref _skipped);
                return;
            }
            if (memory.Picture is { } recent && now - memory.TakenAt <= options.Value.ReuseSnapshotFor)
            {
                await SaveAsync(alertId, camera, recent, memory.TakenAt, stopping);
                return;
            }
            byte[] jpeg;
            try
            {
                await relay.EnsureStreamingAsync(camera, stopping);
                jpeg = await snapshots.TakeAsync(camera, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                memory.CoolingUntil = time.GetUtcNow() + options.Value.FailedCameraCooldown;
                memory.Picture = null;
                var failed = Interlocked.Increment(ref _failed);
                // Logged once per camera per cool-down, so a dead camera writes a line a minute, not one per alert.
                logger.LogWarning("No evidence from camera {Camera} for alert {Alert}: {Reason}; not asked again for {Cooldown} ({Failed} failed snapshots so far)",
                    camera, alertId, UrlRedactor.Redact(e.Message), options.Value.FailedCameraCooldown, failed);
                return;
            }
            if (Refusal(jpeg) is { } refusal)
            {
                // Not kept for reuse either: the next alert asks the camera again.
                memory.Picture = null;
                var refused = Interlocked.Increment(ref _refused);
                if (BitOperations.IsPow2(refused))
                    logger.LogWarning("Snapshot of camera {Camera} for alert {Alert} refused: {Reason} ({Refused} refused so far)", camera, alertId, refusal, refused);
                return;
            }
            memory.Picture = jpeg;
            memory.TakenAt = time.GetUtcNow();
            await SaveAsync(alertId, camera, jpeg, memory.TakenAt, stopping);
        }
        finally
        {
            memory.Gate.Release();
        }
    }

    /// <summary>Why a camera's answer is not kept as evidence, or null when it is a JPEG of a sane size.</summary>
    private string? Refusal(byte[] jpeg) =>
        jpeg.Length > Math.Min(options.Value.MaxSnapshotBytes, PictureStore.MaxBytes) ? $"{jpeg.Length} bytes, more than {options.Value.MaxSnapshotBytes}"
        : jpeg is not [0xFF, 0xD8, 0xFF, ..] ? $"not a JPEG ({jpeg.Length} bytes)"
        : null;

    /// <summary>Committed to the record database before this returns; a failure is counted and logged, never thrown.</summary>
    private async Task SaveAsync(string alertId, string camera, byte[] jpeg, DateTimeOffset takenAt, CancellationToken stopping)
    {
        if (!CameraIds.IsValid(alertId)) return;
        try
        {
            await pictures.SaveAsync(KeyOf(alertId, camera), "image/jpeg", jpeg, takenAt).WaitAsync(stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            var unsaved = Interlocked.Increment(ref _unsaved);
            if (BitOperations.IsPow2(unsaved))
                logger.LogError(e, "The snapshot of camera {Camera} for alert {Alert} was not kept ({Unsaved} so far)", camera, alertId, unsaved);
        }
    }

    private void Unexpected(Exception e)
    {
        var errors = Interlocked.Increment(ref _errors);
        if (BitOperations.IsPow2(errors)) logger.LogError(e, "Taking evidence failed ({Errors} errors so far)", errors);
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (var memory in _cameras.Values) memory.Gate.Dispose();
    }

    private sealed class CameraMemory
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public DateTimeOffset CoolingUntil { get; set; }
        public byte[]? Picture { get; set; }
        public DateTimeOffset TakenAt { get; set; }
    }
}

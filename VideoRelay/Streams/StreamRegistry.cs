using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Ffmpeg;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>The streams that run, started on demand and stopped when idle or when the host stops.</summary>
internal sealed class StreamRegistry(
    IOptions<VideoRelayOptions> options, RelayPaths paths, FfmpegLauncher launcher, CameraServices cameras,
    TimeProvider time, ILoggerFactory loggers) : IVideoRelay
{
    private readonly ILogger _logger = loggers.CreateLogger<StreamRegistry>();
    private readonly ILogger _streamLogger = loggers.CreateLogger<RelayStream>();
    private readonly Dictionary<string, RelayStream> _streams = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _startSlots = new(options.Value.MaxConcurrentStarts);
    private bool _shuttingDown;

    public async ValueTask<EnsureStreamingResult> EnsureStreamingAsync(string cameraId, CancellationToken ct = default) =>
        (await GetOrStartAsync(cameraId, ct)).Result;

    /// <summary>The running stream of the camera, marked watched, started first if needed.</summary>
    public async ValueTask<(EnsureStreamingResult Result, RelayStream? Stream)> GetOrStartAsync(string cameraId, CancellationToken ct)
    {
        if (!CameraIds.IsValid(cameraId)) return (EnsureStreamingResult.UnknownCamera, null);
        if (Find(cameraId) is { } running) return (EnsureStreamingResult.Streaming, running);
        if (await cameras.FindAsync(cameraId, ct) is null) return (EnsureStreamingResult.UnknownCamera, null);
        lock (_gate)
        {
            if (_shuttingDown) return (EnsureStreamingResult.ShuttingDown, null);
            if (_streams.TryGetValue(cameraId, out var existing) && !existing.IsFinished)
            {
                existing.MarkWatched();
                return (EnsureStreamingResult.Streaming, existing);
            }
            _streams.Remove(cameraId);
            if (_streams.Count >= options.Value.MaxConcurrentStreams) return (EnsureStreamingResult.AtCapacity, null);
            var stream = new RelayStream(cameraId, new RelayContext(options.Value, paths, launcher, cameras, _startSlots, time, _streamLogger));
            _streams.Add(cameraId, stream);
            stream.Start();
            _logger.LogInformation("Stream {CameraId} started", cameraId);
            return (EnsureStreamingResult.Streaming, stream);
        }
    }

    /// <summary>The camera's stream if it runs, marked watched; null otherwise.</summary>
    public RelayStream? Find(string cameraId)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(cameraId, out var stream) || stream.IsFinished) return null;
            stream.MarkWatched();
            return stream;
        }
    }

    /// <summary>The camera's running stream without counting this as watching it.</summary>
    public RelayStream? Peek(string cameraId)
    {
        lock (_gate) return _streams.TryGetValue(cameraId, out var stream) && !stream.IsFinished ? stream : null;
    }

    public IReadOnlyList<StreamStatus> GetStatus()
    {
        lock (_gate) return [.. _streams.Values.Select(s => s.Status).OrderBy(s => s.CameraId, StringComparer.Ordinal)];
    }

    public async Task StopStreamingAsync(string cameraId)
    {
        RelayStream? stream;
        lock (_gate)
        {
            if (!_streams.Remove(cameraId, out stream)) return;
        }
        await stream.StopAsync();
        _logger.LogInformation("Stream {CameraId} stopped", cameraId);
    }

    public async Task StopIdleStreamsAsync()
    {
        var cutoff = time.GetUtcNow() - options.Value.IdleStopAfter;
        List<RelayStream> idle;
        lock (_gate)
        {
            idle = [.. _streams.Values.Where(s => (s.LastWatched < cutoff && !s.HasWaiters) || s.IsFinished)];
            foreach (var stream in idle) _streams.Remove(stream.CameraId);
        }
        foreach (var stream in idle) _logger.LogInformation("Stream {CameraId} stops: not watched since {LastWatched:O}", stream.CameraId, stream.LastWatched);
        await Task.WhenAll(idle.Select(s => s.StopAsync()));
    }

    public async Task StopAllAsync()
    {
        List<RelayStream> all;
        lock (_gate)
        {
            _shuttingDown = true;
            all = [.. _streams.Values];
            _streams.Clear();
        }
        await Task.WhenAll(all.Select(s => s.StopAsync()));
    }
}

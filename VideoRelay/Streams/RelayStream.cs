using Microsoft.Extensions.Logging;
using CommandCenter.VideoRelay.Cameras;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>
/// Relays one camera until stopped: runs one <see cref="RelayAttempt"/> after another, with exponential back-off
/// between them. Every loss counts — ffmpeg exits with code 0 both when the camera hangs up and after a read
/// timeout — and is reported as offline (a failed start only once it repeats); the first segment of a run is
/// reported as online. Also keeps the state shown on the status page.
/// </summary>
internal sealed class RelayStream
{
    private readonly RelayContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _onlineSignal = NewSignal();
    private Task _supervisor = Task.CompletedTask;
    private long _lastWatchedTicks;
    private int _waiters;
    private StreamState _state = StreamState.Starting;
    private DateTimeOffset _since;
    private int _restarts;
    private string? _lastError;
    private DateTimeOffset? _lastSegmentAt;
    private string? _newestSegment;
    private bool? _reportedOnline;

    public RelayStream(string cameraId, RelayContext context)
    {
        CameraId = cameraId;
        _context = context;
        Output = new HlsOutput(context.Paths.StreamDirectory(cameraId));
        _since = context.Time.GetUtcNow();
        MarkWatched();
    }

    public string CameraId { get; }
    public HlsOutput Output { get; }
    public bool IsFinished => _supervisor.IsCompleted;
    public DateTimeOffset LastWatched => new(Interlocked.Read(ref _lastWatchedTicks), TimeSpan.Zero);

    public void MarkWatched() => Interlocked.Exchange(ref _lastWatchedTicks, _context.Time.GetUtcNow().UtcTicks);

    /// <summary>Someone is waiting for this stream to come online: it counts as watched however long that takes.</summary>
    public bool HasWaiters => Volatile.Read(ref _waiters) > 0;

    /// <summary>Path of the newest finished segment while the stream is online.</summary>
    public string? NewestSegmentPath
    {
        get
        {
            lock (_gate) return _state == StreamState.Online && _newestSegment is { } name ? Output.SegmentPath(name) : null;
        }
    }

    public StreamStatus Status
    {
        get
        {
            lock (_gate) return new StreamStatus(CameraId, _state, _since, _restarts, _lastError, LastWatched, _lastSegmentAt);
        }
    }

    public void Start() => _supervisor = Task.Run(() => SuperviseAsync(_stop.Token));

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _supervisor;
    }

    /// <summary>True once the stream is online (its playlist exists), false if that takes longer than <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilOnlineAsync(TimeSpan timeout, CancellationToken ct)
    {
        Task online;
        lock (_gate) online = _onlineSignal.Task;
        Interlocked.Increment(ref _waiters);
        try
        {
            await online.WaitAsync(timeout, _context.Time, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
            MarkWatched();
        }
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var backoff = new RestartBackoff(_context.Options.RestartBackoffInitial, _context.Options.RestartBackoffMax);
        var failedStarts = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var (source, lookupFailure) = await FindSourceAsync(stop);
                if (source is null && lookupFailure is null) break;
                Output.Reset();
                SetState(StreamState.Starting);
                var loss = source is null
                    ? lookupFailure
                    : await new RelayAttempt(_context, CameraId, Output, (segment, sinceStart) => OnNewSegmentAsync(segment, sinceStart, backoff))
                        .RunAsync(source, stop);
                if (loss is null) break;
                _context.Logger.LogWarning("Stream {CameraId} lost ({Category}): {Reason}", CameraId, loss.Category, loss.Detail);
                bool wasOnline;
                lock (_gate)
                {
                    _restarts++;
                    wasOnline = _state == StreamState.Online;
                }
                failedStarts = wasOnline ? 0 : failedStarts + 1;
                SetState(StreamState.Retrying, loss.Detail);
                // A single start that fails is often a glitch (ffmpeg joined mid-picture, say); a lost running
                // stream or repeated failed starts mean the camera is gone.
                if (wasOnline || failedStarts >= _context.Options.FailedStartsBeforeOffline) await ReportAsync(online: false, loss.Category);
                await Task.Delay(backoff.Next(), _context.Time, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (Exception e)
        {
            _context.Logger.LogError(e, "Stream {CameraId} failed", CameraId);
            lock (_gate) _lastError = UrlRedactor.Redact(e.Message);
        }
        finally
        {
            Output.Delete();
            SetState(StreamState.Stopped);
        }
    }

    /// <summary>The camera as the directory knows it now; a failing directory is a loss to retry, a missing camera ends the stream.</summary>
    private async Task<(CameraSource? Source, StreamLoss? Failure)> FindSourceAsync(CancellationToken stop)
    {
        CameraSource? source;
        try
        {
            source = await _context.Cameras.FindAsync(CameraId, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, new StreamLoss(StreamLoss.Unavailable, "camera directory failed: " + UrlRedactor.Redact(e.Message)));
        }
        if (source is null)
        {
            _context.Logger.LogWarning("Stream {CameraId} stops: the camera is no longer in the directory", CameraId);
            lock (_gate) _lastError = "camera no longer in the directory";
        }
        return (source, null);
    }

    /// <summary>Called by the running attempt for every new segment.</summary>
    private async Task OnNewSegmentAsync(string segment, TimeSpan sinceStart, RestartBackoff backoff)
    {
        if (!OnSegment(segment, _context.Time.GetUtcNow())) return;
        backoff.Reset();
        _context.Logger.LogInformation("Stream {CameraId} online after {Seconds:0.0} s", CameraId, sinceStart.TotalSeconds);
        await ReportAsync(online: true, null);
    }

    /// <summary>Records a new segment; true when it is the first of the run, i.e. the stream just came online.</summary>
    private bool OnSegment(string segment, DateTimeOffset now)
    {
        lock (_gate)
        {
            _newestSegment = segment;
            _lastSegmentAt = now;
            if (_state == StreamState.Online) return false;
            _state = StreamState.Online;
            _since = now;
            _onlineSignal.TrySetResult();
            return true;
        }
    }

    private void SetState(StreamState state, string? error = null)
    {
        lock (_gate)
        {
            if (error is not null) _lastError = error;
            if (_state == state) return;
            if (_state == StreamState.Online)
            {
                _onlineSignal = NewSignal();
                _newestSegment = null;
            }
            _state = state;
            _since = _context.Time.GetUtcNow();
        }
    }

    /// <summary>Reports only changes; the first loss is reported even if the stream never came online.</summary>
    private async Task ReportAsync(bool online, string? reason)
    {
        lock (_gate)
        {
            if (_reportedOnline == online) return;
            _reportedOnline = online;
        }
        await _context.Cameras.ReportAsync(CameraId, online, reason);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

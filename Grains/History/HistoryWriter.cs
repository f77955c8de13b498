using System.Threading.Channels;
using CommandCenter.Grains.Devices;
using CommandCenter.VideoRelay.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.History;

/// <summary>What the history writer has done since start-up.</summary>
public sealed record HistoryStats(string Store, long Recorded, long Written, long Overflowed, long Buffered, long FailedWrites, string? LastError);

/// <summary>
/// Takes sensor values from the grains without making them wait, and writes them to the store in batches (so many
/// points, or so long). A failed batch is kept and written again after the project's back-off; while the store is down
/// points wait in a bounded buffer, and those that find it full are counted as overflow and logged once a minute, never
/// dropped unseen. It keeps writing while the host stops (grains still report while the silo shuts down) and writes
/// what is left when the container disposes it, after every hosted service has stopped, for a few seconds at most.
/// </summary>
public sealed class HistoryWriter : IHostedService, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan OverflowLogInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(5);

    private readonly Channel<HistoryPoint> _buffer;
    private readonly IHistoryStore _store;
    private readonly HistoryOptions _options;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly CancellationTokenSource _abandon = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;
    private long _recorded, _written, _overflowed, _failed, _inBatch, _lastOverflowLog;
    private string? _lastError;

    public HistoryWriter(IHistoryStore store, IOptions<HistoryOptions> options, ILogger<HistoryWriter> logger)
    {
        _store = store;
        _options = options.Value;
        _logger = logger;
        // A full buffer refuses the point (TryWrite is false) instead of waiting: the grain never waits on history.
        _buffer = Channel.CreateBounded<HistoryPoint>(new BoundedChannelOptions(_options.BufferCapacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public void Record(string device, SensorReading reading)
    {
        foreach (var point in HistoryPoint.Of(device, reading)) Record(point);
    }

    public void Record(string device, SensorAverages averages)
    {
        foreach (var point in HistoryPoint.Of(device, averages)) Record(point);
    }

    /// <summary>Returns at once; the point is written within <see cref="HistoryOptions.FlushInterval"/> while the store is up.</summary>
    public void Record(HistoryPoint point)
    {
        Interlocked.Increment(ref _recorded);
        if (_buffer.Writer.TryWrite(point)) return;
        var overflowed = Interlocked.Increment(ref _overflowed);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastOverflowLog);
        if ((last == 0 || now - last >= OverflowLogInterval.TotalMilliseconds) && Interlocked.CompareExchange(ref _lastOverflowLog, now, last) == last)
            _logger.LogError("The history buffer of {Capacity} points is full ({Store} is not keeping up): {Overflowed} points not kept so far",
                _options.BufferCapacity, _store.Name, overflowed);
    }

    public HistoryStats Stats => new(_store.Name, Interlocked.Read(ref _recorded), Interlocked.Read(ref _written),
        Interlocked.Read(ref _overflowed), _buffer.Reader.Count + Interlocked.Read(ref _inBatch), Interlocked.Read(ref _failed), _lastError);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => WriteLoop(_abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Nothing yet: the silo stops after this and its sensors may still report; see <see cref="DisposeAsync"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Takes no more points and writes those buffered, giving up after a few seconds (a store that stays down).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _buffer.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(ShutdownFlush)) != _loop) await _abandon.CancelAsync();
        try { await _loop; }
        catch (Exception) when (_abandon.IsCancellationRequested) { }
        var left = Interlocked.Read(ref _inBatch) + _buffer.Reader.Count;
        if (left > 0) _logger.LogWarning("{Count} history points were not written before shutdown", left);
        _abandon.Dispose();
    }

    /// <summary>For a container disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoop(CancellationToken abandon)
    {
        var reader = _buffer.Reader;
        var batch = new List<HistoryPoint>(_options.BatchSize);
        var backoff = new RestartBackoff(_options.RetryBackoffInitial, _options.RetryBackoffMax);
        // Ends once the buffer is completed (disposal) and empty.
        while (await reader.WaitToReadAsync(abandon))
        {
            await Fill(batch, abandon);
            while (!await TryWrite(batch, abandon)) await Task.Delay(backoff.Next(), abandon);
            backoff.Reset();
        }
    }

    /// <summary>Takes points until the batch is full, the oldest has waited the flush interval, or no more will come.</summary>
    private async Task Fill(List<HistoryPoint> batch, CancellationToken abandon)
    {
        var reader = _buffer.Reader;
        using var due = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        due.CancelAfter(_options.FlushInterval);
        while (true)
        {
            while (batch.Count < _options.BatchSize && reader.TryRead(out var point)) batch.Add(point);
            Interlocked.Exchange(ref _inBatch, batch.Count);
            if (batch.Count >= _options.BatchSize) return;
            try
            {
                if (!await reader.WaitToReadAsync(due.Token)) return;
            }
            catch (OperationCanceledException) when (!abandon.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> TryWrite(List<HistoryPoint> batch, CancellationToken abandon)
    {
        if (batch.Count == 0) return true;
        try
        {
            await _store.WriteAsync(batch, abandon);
            Interlocked.Add(ref _written, batch.Count);
            batch.Clear();
            Interlocked.Exchange(ref _inBatch, 0);
            if (_lastError is not null) _logger.LogInformation("History writes to {Store} work again", _store.Name);
            _lastError = null;
            return true;
        }
        catch (Exception e) when (!abandon.IsCancellationRequested)
        {
            var first = Interlocked.Increment(ref _failed) == 1 || _lastError is null;
            _lastError = e.Message;
            // The first failure of a run is worth a stack; the retries that follow only repeat it.
            if (first) _logger.LogError(e, "Writing {Count} history points to {Store} failed; kept and retried", batch.Count, _store.Name);
            else _logger.LogDebug("Writing history to {Store} failed again: {Error}", _store.Name, e.Message);
            return false;
        }
    }
}

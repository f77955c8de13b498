using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Examples.LiveClient;

/// <summary>
/// Keeps a subscription to the command center's <c>/hubs/live</c> alive: connects with an API key, subscribes with a
/// filter, hands every event to <c>onEvent</c> and remembers the last event id. Whenever the stream ends (the network
/// blinked, the server restarted, this client fell behind) it connects again and subscribes with that id, so the server
/// sends what was missed, or says the id is too old and sends the active alerts to start over from.
/// </summary>
public sealed class LiveClient(Uri server, string apiKey, LiveFilter filter, Action<LiveEvent> onEvent) : IAsyncDisposable
{
    private readonly HubConnection _connection = new HubConnectionBuilder()
        .WithUrl(new Uri(server, "/hubs/live"), options =>
            // Sent as a bearer header; a browser's WebSocket cannot, so the hub also takes ?access_token=.
            options.AccessTokenProvider = () => Task.FromResult<string?>(apiKey))
        .WithAutomaticReconnect(new KeepTrying())
        .Build();

    private CancellationTokenSource? _running;
    private Task _loop = Task.CompletedTask;

    /// <summary>The id of the last event received; sent back on every resubscription.</summary>
    public long? LastEventId { get; private set; }

    /// <summary>Set when the stream stopped with an error; the client is already on its way back.</summary>
    public event Action<Exception>? Interrupted;

    public void Start()
    {
        _running = new CancellationTokenSource();
        _loop = Run(_running.Token);
    }

    public async Task StopAsync()
    {
        if (_running is null) return;
        await _running.CancelAsync();
        await _loop;
        await _connection.StopAsync();
        _running.Dispose();
        _running = null;
    }

    private async Task Run(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Connected(stop);
                await foreach (var item in _connection.StreamAsync<LiveEvent>("Subscribe", filter, LastEventId, stop))
                {
                    onEvent(item);
                    LastEventId = item.Id;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Interrupted?.Invoke(e);
            }
            // Not in a tight loop if the server keeps refusing (a wrong filter, a revoked key).
            try { await Task.Delay(TimeSpan.FromSeconds(1), stop); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Waits out an automatic reconnect in progress, or starts the connection when it is down.</summary>
    private async Task Connected(CancellationToken stop)
    {
        while (_connection.State != HubConnectionState.Connected)
        {
            if (_connection.State == HubConnectionState.Disconnected) await _connection.StartAsync(stop);
            else await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>Automatic reconnects without end: 0, 2, 5, then every 10 seconds.</summary>
    private sealed class KeepTrying : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) => context.PreviousRetryCount switch
        {
            0 => TimeSpan.Zero,
            1 => TimeSpan.FromSeconds(2),
            2 => TimeSpan.FromSeconds(5),
            _ => TimeSpan.FromSeconds(10),
        };
    }
}

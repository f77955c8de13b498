using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Simulators.Cameras;

/// <summary>
/// An RTSP server on one port serving <see cref="SimulatedCameraOptions.CameraCount"/> simulated cameras at
/// rtsp://host:port/{camera id}. Media goes over the RTSP connection (TCP-interleaved); UDP set-ups get 461.
/// </summary>
public sealed class SimulatedCameraServer : IAsyncDisposable
{
    private readonly SimulatedCameraOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SimulatedCamera> _cameras;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public SimulatedCameraServer(SimulatedCameraOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SimulatedCameraServer>();
        _cameras = Enumerable.Range(1, options.CameraCount)
            .Select(n => new SimulatedCamera(options.CameraId(n), n, options, _logger))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>The port actually listened on (useful when the options asked for port 0).</summary>
    public int Port { get; private set; }

    public IReadOnlyCollection<SimulatedCamera> Cameras => _cameras.Values;

    public SimulatedCamera Camera(string id) =>
        _cameras.TryGetValue(id, out var camera) ? camera : throw new KeyNotFoundException($"No simulated camera '{id}'.");

    /// <summary>The camera's RTSP URL, with the configured credentials unless <paramref name="withCredentials"/> is false.</summary>
    public Uri UrlFor(string cameraId, bool withCredentials = true)
    {
        var builder = new UriBuilder("rtsp", _options.BindAddress, Port, "/" + cameraId);
        if (withCredentials && !string.IsNullOrEmpty(_options.UserName))
        {
            builder.UserName = Uri.EscapeDataString(_options.UserName);
            builder.Password = Uri.EscapeDataString(_options.Password ?? "");
        }
        return builder.Uri;
    }

    public void Start()
    {
        if (_listener is not null) throw new InvalidOperationException("Already started.");
        CameraEncoder.DeleteStaleSdpFiles();
        _listener = new TcpListener(IPAddress.Parse(_options.BindAddress), _options.Port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync(_listener, _stopping.Token);
        _logger.LogInformation("Simulated cameras: {Count} at rtsp://{Address}:{Port}/{FirstId}…",
            _cameras.Count, _options.BindAddress, Port, _options.CameraId(1));
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var connection = new RtspConnection(client, id => _cameras.GetValueOrDefault(id), _options, _logger);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(Task.Run(() => connection.RunAsync(ct), CancellationToken.None));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        _listener?.Stop();
        await _acceptLoop;
        foreach (var camera in _cameras.Values) camera.Shutdown();
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open);
    }
}

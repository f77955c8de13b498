using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Simulators.Cameras;

/// <summary>
/// One RTSP client. Serves a single camera over TCP-interleaved RTP (RFC 2326): OPTIONS, DESCRIBE, SETUP,
/// PLAY, GET_PARAMETER/SET_PARAMETER keep-alives, PAUSE and TEARDOWN. Responses and media share one
/// buffered stream under one write lock, so an RTP frame never lands inside a response.
/// </summary>
internal sealed class RtspConnection(
    TcpClient client, Func<string, SimulatedCamera?> findCamera, SimulatedCameraOptions options, ILogger logger)
{
    private const string SupportedMethods = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER, TEARDOWN";
    private const int SessionTimeoutSeconds = 60;
    private const int WriteBufferBytes = 64 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(options.ViewerQueuePackets) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly string _sessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    private Stream _output = Stream.Null;
    private SimulatedCamera? _camera;
    private bool _usesEncoder;
    private bool _setUp;

    public int InterleavedBase { get; private set; }

    /// <summary>Set by the camera once this client's video has started at a keyframe.</summary>
    public bool ReceivesVideo { get; set; }

    public bool UsesEncoderOf(SimulatedCamera camera) => _usesEncoder && _camera == camera;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _closed.Token);
        var ct = lifetime.Token;
        client.NoDelay = true;
        var network = client.GetStream();
        _output = new BufferedStream(network, WriteBufferBytes);
        var pump = PumpMediaAsync(ct);
        try
        {
            var reader = new RtspRequestReader(network);
            while (await reader.ReadAsync(ct) is { } request)
                if (!await HandleAsync(request, ct)) break;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            logger.LogDebug("RTSP connection ended: {Reason}", e.Message);
        }
        finally
        {
            await _closed.CancelAsync();
            _camera?.Detach(this);
            client.Dispose();
            await pump;
        }
    }

    /// <summary>Queues an interleaved frame; false when the client is too slow and an older frame had to be dropped.</summary>
    public bool TrySend(byte[] frame)
    {
        var full = _outgoing.Reader.Count >= options.ViewerQueuePackets;
        _outgoing.Writer.TryWrite(frame);
        return !full;
    }

    public void Abort()
    {
        _closed.Cancel();
        client.Client?.Close();
    }

    private async Task<bool> HandleAsync(RtspRequest request, CancellationToken ct)
    {
        var camera = request.CameraId is { } id ? findCamera(id) : null;
        if (camera is not null && _camera is null)
        {
            _camera = camera;
            camera.Attach(this);
        }
        var target = _camera;
        if (target?.Behaviour == CameraBehaviour.HungUp) return false;
        if (target?.Behaviour == CameraBehaviour.Stalled) return true;
        if (camera is not null && camera != target)
        {
            await RespondAsync(request, 400, "Bad Request", ct: ct);
            return true;
        }

        switch (request.Method)
        {
            case "OPTIONS":
                await RespondAsync(request, 200, "OK", [$"Public: {SupportedMethods}"], ct: ct);
                return true;
            case "GET_PARAMETER" or "SET_PARAMETER":
                await RespondAsync(request, 200, "OK", SessionHeader(), ct: ct);
                return true;
        }
        if (camera is null)
        {
            await RespondAsync(request, 404, "Not Found", ct: ct);
            return true;
        }
        if (!IsAuthorized(request))
        {
            await RespondAsync(request, 401, "Unauthorized", ["WWW-Authenticate: Basic realm=\"simulated-camera\""], ct: ct);
            return true;
        }
        switch (request.Method)
        {
            case "DESCRIBE":
                await DescribeAsync(request, camera, ct);
                return true;
            case "SETUP":
                await SetUpAsync(request, ct);
                return true;
            case "PLAY" when _setUp:
                camera.AddPlayer(this);
                await RespondAsync(request, 200, "OK", [.. SessionHeader(), "Range: npt=0.000-"], ct: ct);
                return true;
            case "PLAY":
                await RespondAsync(request, 455, "Method Not Valid in This State", ct: ct);
                return true;
            case "PAUSE":
                camera.RemovePlayer(this);
                await RespondAsync(request, 200, "OK", SessionHeader(), ct: ct);
                return true;
            case "TEARDOWN":
                camera.RemovePlayer(this);
                await RespondAsync(request, 200, "OK", SessionHeader(), ct: ct);
                return false;
            default:
                await RespondAsync(request, 501, "Not Implemented", ct: ct);
                return true;
        }
    }

    private async Task DescribeAsync(RtspRequest request, SimulatedCamera camera, CancellationToken ct)
    {
        string sdp;
        try
        {
            sdp = await UseEncoderAsync(camera, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Camera {CameraId} could not start its encoder: {Reason}", camera.Id, e.Message);
            await RespondAsync(request, 503, "Service Unavailable", ct: ct);
            return;
        }
        var contentBase = ContentBase(request.Uri, camera.Id);
        var body = SessionDescription.ForRtsp(sdp, camera.Id);
        await RespondAsync(request, 200, "OK", [$"Content-Base: {contentBase}", "Content-Type: application/sdp"], body, ct);
    }

    private async Task<string> UseEncoderAsync(SimulatedCamera camera, CancellationToken ct)
    {
        if (_usesEncoder)
        {
            // Already counted as a user: take and give back a reference just to read the SDP.
            try { return await camera.AcquireEncoderAsync(ct); }
            finally { camera.ReleaseEncoder(); }
        }
        _usesEncoder = true;
        try
        {
            return await camera.AcquireEncoderAsync(ct);
        }
        catch
        {
            _usesEncoder = false;
            camera.ReleaseEncoder();
            throw;
        }
    }

    private async Task SetUpAsync(RtspRequest request, CancellationToken ct)
    {
        var transport = request.Header("Transport") ?? "";
        if (!transport.Contains("RTP/AVP/TCP", StringComparison.OrdinalIgnoreCase))
        {
            await RespondAsync(request, 461, "Unsupported Transport", ct: ct);
            return;
        }
        if (!_usesEncoder) await UseEncoderAsync(_camera!, ct);
        InterleavedBase = ParseInterleavedBase(transport);
        _setUp = true;
        await RespondAsync(request, 200, "OK",
            [$"Transport: RTP/AVP/TCP;unicast;interleaved={InterleavedBase}-{InterleavedBase + 1}", .. SessionHeader()], ct: ct);
    }

    private static int ParseInterleavedBase(string transport)
    {
        foreach (var part in transport.Split(';'))
        {
            var p = part.Trim();
            if (p.StartsWith("interleaved=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(p["interleaved=".Length..].Split('-')[0], out var channel) && channel is >= 0 and <= 254)
                return channel;
        }
        return 0;
    }

    private bool IsAuthorized(RtspRequest request)
    {
        if (string.IsNullOrEmpty(options.UserName) || options.Password is null) return true;
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var presented = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())));
            var expected = Encoding.UTF8.GetBytes($"{options.UserName}:{options.Password}");
            return CryptographicOperations.FixedTimeEquals(presented, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private string[] SessionHeader() => _setUp ? [$"Session: {_sessionId};timeout={SessionTimeoutSeconds}"] : [];

    private static string ContentBase(string requestUri, string cameraId)
    {
        var uri = new Uri(requestUri);
        return $"{uri.Scheme}://{uri.Authority}/{cameraId}/";
    }

    private async Task RespondAsync(RtspRequest request, int status, string reason, string[]? headers = null, string? body = null, CancellationToken ct = default)
    {
        var text = new StringBuilder()
            .Append("RTSP/1.0 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("CSeq: ").Append(request.CSeq).Append("\r\n")
            .Append("Server: simulated-camera\r\n");
        foreach (var header in headers ?? []) text.Append(header).Append("\r\n");
        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (bodyBytes.Length > 0) text.Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n");
        text.Append("\r\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        await _writeLock.WaitAsync(ct);
        try
        {
            await _output.WriteAsync(bytes, ct);
            await _output.WriteAsync(bodyBytes, ct);
            await _output.FlushAsync(ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task PumpMediaAsync(CancellationToken ct)
    {
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(ct))
            {
                await _writeLock.WaitAsync(ct);
                try
                {
                    while (_outgoing.Reader.TryRead(out var frame)) await _output.WriteAsync(frame, ct);
                    await _output.FlushAsync(ct);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Abort();
        }
    }
}

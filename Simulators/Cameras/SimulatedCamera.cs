using Microsoft.Extensions.Logging;

namespace CommandCenter.Simulators.Cameras;

/// <summary>
/// One simulated camera: its encoder runs only while at least one client has described or is playing it,
/// and stops <see cref="SimulatedCameraOptions.EncoderLinger"/> after the last one left.
/// </summary>
public sealed class SimulatedCamera
{
    private readonly Lock _gate = new();
    private readonly HashSet<RtspConnection> _clients = [];
    private readonly HashSet<RtspConnection> _players = [];
    private readonly SimulatedCameraOptions _options;
    private readonly ILogger _logger;
    private CameraEncoder? _encoder;
    private int _encoderUsers;
    private CancellationTokenSource? _pendingStop;
    private RtspConnection[] _playerSnapshot = [];
    private long _packetsSent;
    private long _playsStarted;
    private long _packetsDropped;

    internal SimulatedCamera(string id, int number, SimulatedCameraOptions options, ILogger logger)
    {
        Id = id;
        Number = number;
        _options = options;
        _logger = logger;
    }

    public string Id { get; }
    public int Number { get; }
    public CameraBehaviour Behaviour { get; private set; } = CameraBehaviour.Normal;
    public bool IsEncoding { get { lock (_gate) return _encoder is not null; } }
    public int? EncoderProcessId { get { lock (_gate) return _encoder?.ProcessId; } }
    public int PlayerCount { get { lock (_gate) return _players.Count; } }
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>How many PLAY requests this camera has accepted since the server started.</summary>
    public long PlaysStarted => Interlocked.Read(ref _playsStarted);

    /// <summary>Packets dropped because a client did not read fast enough.</summary>
    public long PacketsDropped => Interlocked.Read(ref _packetsDropped);

    /// <summary>Closes every client connection and drops new ones until <see cref="Resume"/>.</summary>
    public void HangUp()
    {
        RtspConnection[] clients;
        lock (_gate)
        {
            Behaviour = CameraBehaviour.HungUp;
            clients = [.. _clients];
        }
        _logger.LogInformation("Camera {CameraId} hangs up on {Count} client(s)", Id, clients.Length);
        foreach (var client in clients) client.Abort();
    }

    /// <summary>Keeps connections open but stops sending and answering anything until <see cref="Resume"/>.</summary>
    public void Stall()
    {
        lock (_gate) Behaviour = CameraBehaviour.Stalled;
        _logger.LogInformation("Camera {CameraId} stalls", Id);
    }

    public void Resume()
    {
        lock (_gate) Behaviour = CameraBehaviour.Normal;
        _logger.LogInformation("Camera {CameraId} resumes", Id);
    }

    internal void Attach(RtspConnection client) { lock (_gate) _clients.Add(client); }

    internal void Detach(RtspConnection client)
    {
        bool wasUser;
        lock (_gate)
        {
            _clients.Remove(client);
            RemovePlayerLocked(client);
            wasUser = client.UsesEncoderOf(this);
        }
        if (wasUser) ReleaseEncoder();
    }

    /// <summary>Starts the encoder if needed and returns the SDP that describes its stream.</summary>
    internal async Task<string> AcquireEncoderAsync(CancellationToken ct)
    {
        CameraEncoder encoder;
        lock (_gate)
        {
            _encoderUsers++;
            _pendingStop?.Cancel();
            _pendingStop = null;
            if (_encoder is null)
            {
                _encoder = new CameraEncoder(Id, Number, _options, Forward, OnEncoderDied, _logger);
                _encoder.Start();
            }
            encoder = _encoder;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.EncoderStartTimeout);
        return await encoder.ReadSdpAsync(timeout.Token);
    }

    internal void ReleaseEncoder()
    {
        lock (_gate)
        {
            if (--_encoderUsers > 0 || _encoder is null) return;
            var stop = new CancellationTokenSource();
            _pendingStop = stop;
            _ = StopEncoderLaterAsync(stop.Token);
        }
    }

    private async Task StopEncoderLaterAsync(CancellationToken cancelled)
    {
        try { await Task.Delay(_options.EncoderLinger, cancelled); }
        catch (OperationCanceledException) { return; }
        CameraEncoder? encoder;
        lock (_gate)
        {
            if (cancelled.IsCancellationRequested || _encoderUsers > 0) return;
            encoder = _encoder;
            _encoder = null;
        }
        encoder?.Dispose();
    }

    internal void AddPlayer(RtspConnection client)
    {
        Interlocked.Increment(ref _playsStarted);
        lock (_gate)
        {
            _players.Add(client);
            _playerSnapshot = [.. _players];
        }
    }

    internal void RemovePlayer(RtspConnection client) { lock (_gate) RemovePlayerLocked(client); }

    private void RemovePlayerLocked(RtspConnection client)
    {
        if (_players.Remove(client)) _playerSnapshot = [.. _players];
    }

    private void Forward(int channel, ReadOnlyMemory<byte> packet)
    {
        if (Behaviour != CameraBehaviour.Normal) return;
        var players = Volatile.Read(ref _playerSnapshot);
        byte[]? sharedFrame = null;
        var startsKeyframe = channel == 0 && H264RtpPacket.StartsKeyframe(packet.Span);
        foreach (var player in players)
        {
            // A new viewer gets media from the next keyframe on, as camera RTSP servers do, so that it never
            // starts in the middle of a fragmented picture.
            if (channel == 0 && !player.ReceivesVideo)
            {
                if (!startsKeyframe) continue;
                player.ReceivesVideo = true;
            }
            var interleavedChannel = player.InterleavedBase + channel;
            var frame = interleavedChannel == channel
                ? sharedFrame ??= InterleavedFrame.Build(channel, packet.Span)
                : InterleavedFrame.Build(interleavedChannel, packet.Span);
            if (player.TrySend(frame)) Interlocked.Increment(ref _packetsSent);
            else Interlocked.Increment(ref _packetsDropped);
        }
    }

    private void OnEncoderDied(CameraEncoder encoder)
    {
        _logger.LogWarning("Encoder for {CameraId} exited unexpectedly", Id);
        lock (_gate)
        {
            if (_encoder != encoder) return;
            _encoder = null;
        }
        encoder.Dispose();
    }

    internal void Shutdown()
    {
        RtspConnection[] clients;
        CameraEncoder? encoder;
        lock (_gate)
        {
            clients = [.. _clients];
            encoder = _encoder;
            _encoder = null;
            _pendingStop?.Cancel();
        }
        foreach (var client in clients) client.Abort();
        encoder?.Dispose();
    }
}

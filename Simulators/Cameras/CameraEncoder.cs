using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Simulators.Cameras;

/// <summary>
/// One ffmpeg that renders a camera's test picture, encodes H.264 and packetises it to RTP on two loopback
/// UDP sockets (RTP and RTCP); every datagram is handed to <paramref name="onPacket"/> with its interleaved channel.
/// </summary>
internal sealed class CameraEncoder(
    string cameraId, int cameraNumber, SimulatedCameraOptions options,
    Action<int, ReadOnlyMemory<byte>> onPacket, Action<CameraEncoder> onUnexpectedExit, ILogger logger) : IDisposable
{
    private const int MaxDatagram = 65536;
    private const int RtpPacketSize = 1200;

    private readonly Socket _rtp = BindLoopbackUdp();
    private readonly Socket _rtcp = BindLoopbackUdp();
    private readonly CancellationTokenSource _stopping = new();
    private const string SdpPrefix = "simulated-camera-";
    private readonly string _sdpPath = Path.Combine(Path.GetTempPath(), $"{SdpPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.sdp");
    private Process? _process;

    public int? ProcessId => _process?.Id;

    public void Start()
    {
        var gop = Math.Max(1, (int)Math.Round(options.KeyframeInterval.TotalSeconds * options.FramesPerSecond));
        var rtpPort = ((IPEndPoint)_rtp.LocalEndPoint!).Port;
        var rtcpPort = ((IPEndPoint)_rtcp.LocalEndPoint!).Port;
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
            "-re", "-f", "lavfi", "-i", TestPicture.FilterGraph(cameraId, cameraNumber, options),
            "-an", "-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast", "-tune", "zerolatency",
            "-pix_fmt", "yuv420p", "-threads", "1",
            "-g", Invariant(gop), "-keyint_min", Invariant(gop), "-sc_threshold", "0",
            "-b:v", $"{options.BitrateKbps}k", "-maxrate", $"{options.BitrateKbps}k", "-bufsize", $"{options.BitrateKbps}k",
            // Parameter sets go into the SDP, as real cameras do, and stay in-band at every keyframe for late joiners.
            "-flags:v", "+global_header", "-bsf:v", "dump_extra=freq=keyframe",
            "-f", "rtp", "-payload_type", "96", "-sdp_file", _sdpPath,
            $"rtp://127.0.0.1:{rtpPort}?rtcpport={rtcpPort}&pkt_size={RtpPacketSize}",
        ];
        _process = OrphanSafeProcess.Start(options.FfmpegPath, arguments);
        _process.EnableRaisingEvents = true;
        _process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) logger.LogDebug("Encoder {CameraId}: {Line}", cameraId, e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.Exited += (_, _) => { if (!_stopping.IsCancellationRequested) onUnexpectedExit(this); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        _ = ForwardAsync(_rtp, channel: 0);
        _ = ForwardAsync(_rtcp, channel: 1);
        logger.LogInformation("Encoder for {CameraId} started (pid {Pid})", cameraId, _process.Id);
    }

    /// <summary>The SDP ffmpeg wrote for this stream, once it has written it.</summary>
    public async Task<string> ReadSdpAsync(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process is { HasExited: true }) throw new InvalidOperationException($"Encoder for {cameraId} exited with code {_process.ExitCode}.");
            if (File.Exists(_sdpPath))
            {
                var sdp = await File.ReadAllTextAsync(_sdpPath, ct);
                if (sdp.Contains("a=rtpmap:", StringComparison.Ordinal)) return sdp;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    private async Task ForwardAsync(Socket socket, int channel)
    {
        var buffer = new byte[MaxDatagram];
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                onPacket(channel, buffer.AsMemory(0, length));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping.
        }
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        try
        {
            if (_process is { HasExited: false }) _process.Kill();
            _process?.WaitForExit(2000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process?.Dispose();
        _rtp.Dispose();
        _rtcp.Dispose();
        try { File.Delete(_sdpPath); } catch (IOException) { }
        logger.LogInformation("Encoder for {CameraId} stopped", cameraId);
    }

    /// <summary>Deletes SDP files left behind by simulators that were killed (their process id no longer runs).</summary>
    public static void DeleteStaleSdpFiles()
    {
        foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), SdpPrefix + "*.sdp"))
        {
            var owner = Path.GetFileName(file)[SdpPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, out var pid) || Directory.Exists($"/proc/{pid}") || !OperatingSystem.IsLinux()) continue;
            try { File.Delete(file); } catch (IOException) { }
        }
    }

    private static Socket BindLoopbackUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

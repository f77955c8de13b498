namespace CommandCenter.Simulators.Cameras;

/// <summary>Settings of the simulated RTSP cameras, bound from the configuration section <c>SimulatedCameras</c>.</summary>
public sealed class SimulatedCameraOptions
{
    public const string SectionName = "SimulatedCameras";

    /// <summary>Address the RTSP listener binds to. Loopback keeps the simulator private to this machine.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>RTSP port; 0 picks a free port (see <see cref="SimulatedCameraServer.Port"/>).</summary>
    public int Port { get; set; } = 8554;

    public int CameraCount { get; set; } = 8;

    /// <summary>Composite format turning the 1-based camera number into its id and URL path.</summary>
    public string IdFormat { get; set; } = "cam-{0:0000}";

    public int Width { get; set; } = 640;
    public int Height { get; set; } = 360;
    public int FramesPerSecond { get; set; } = 15;
    public int BitrateKbps { get; set; } = 600;
    public TimeSpan KeyframeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an encoder keeps running after its last viewer left, so quick reconnects find it warm.</summary>
    public TimeSpan EncoderLinger { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long DESCRIBE waits for a freshly started encoder to publish its SDP.</summary>
    public TimeSpan EncoderStartTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Packets queued per viewer before the oldest are dropped: a slow viewer must not stall the others.</summary>
    public int ViewerQueuePackets { get; set; } = 2048;

    /// <summary>When both are set, clients must authenticate with HTTP Basic (as in rtsp://user:pass@host/…).</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>ffmpeg executable; a bare name is looked up on PATH.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Font for the overlay; empty lets fontconfig choose.</summary>
    public string FontName { get; set; } = "DejaVu Sans Mono";

    public string CameraId(int number) => string.Format(System.Globalization.CultureInfo.InvariantCulture, IdFormat, number);
}

using System.Net.Sockets;
using System.Text;
using FFMpegCore;
using CommandCenter.Simulators.Cameras;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class CameraSimulatorTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Ffprobe_reads_an_h264_stream_over_rtsp_tcp()
    {
        var camera = cameras.Camera(1);

        var analysis = await FFProbe.AnalyseAsync(cameras.Server.UrlFor(camera.Id), customArguments: "-rtsp_transport tcp");

        var video = Assert.Single(analysis.VideoStreams);
        Assert.Equal("h264", video.CodecName);
        Assert.Equal((640, 360), (video.Width ?? 0, video.Height ?? 0));
        Assert.InRange(video.RealFrameRate, 14, 16);
    }

    [Fact]
    public async Task Answers_the_rtsp_handshake_and_refuses_udp_transport()
    {
        var camera = cameras.Camera(2);
        var url = cameras.Server.UrlFor(camera.Id);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", cameras.Server.Port);
        var stream = client.GetStream();

        var options = await ExchangeAsync(stream, $"OPTIONS {url} RTSP/1.0\r\nCSeq: 7\r\n\r\n");
        Assert.StartsWith("RTSP/1.0 200", options);
        Assert.Contains("CSeq: 7", options);
        Assert.Contains("DESCRIBE", options);

        var describe = await ExchangeAsync(stream, $"DESCRIBE {url} RTSP/1.0\r\nCSeq: 8\r\nAccept: application/sdp\r\n\r\n");
        Assert.StartsWith("RTSP/1.0 200", describe);
        Assert.Contains("CSeq: 8", describe);
        Assert.Contains($"Content-Base: {url}/", describe);
        Assert.Contains("a=control:trackID=0", describe);
        Assert.Contains("a=rtpmap:96 H264/90000", describe);

        var udp = await ExchangeAsync(stream, $"SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 9\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n");
        Assert.StartsWith("RTSP/1.0 461", udp);
        Assert.Contains("CSeq: 9", udp);

        var tcp = await ExchangeAsync(stream, $"SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 10\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        Assert.StartsWith("RTSP/1.0 200", tcp);
        Assert.Contains("interleaved=0-1", tcp);
        Assert.Contains("Session: ", tcp);
    }

    [Fact]
    public async Task Encodes_only_while_someone_watches()
    {
        var camera = cameras.Camera(3);
        Assert.False(camera.IsEncoding);

        await FFProbe.AnalyseAsync(cameras.Server.UrlFor(camera.Id), customArguments: "-rtsp_transport tcp");
        var encoderPid = camera.EncoderProcessId;

        Assert.NotNull(encoderPid);
        await Eventually.TrueAsync(() => !camera.IsEncoding, Deadline, "the encoder to stop after the last viewer left");
        await Eventually.TrueAsync(() => !ProcessTable.IsAlive(encoderPid.Value), Deadline, "the encoder process to exit");
    }

    [Fact]
    public async Task Hang_up_closes_connections_and_stall_keeps_them_silent()
    {
        var camera = cameras.Camera(4);
        var url = cameras.Server.UrlFor(camera.Id);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", cameras.Server.Port);
        var stream = client.GetStream();
        Assert.StartsWith("RTSP/1.0 200", await ExchangeAsync(stream, $"OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\n\r\n"));

        camera.Stall();
        try
        {
            await WriteAsync(stream, $"OPTIONS {url} RTSP/1.0\r\nCSeq: 2\r\n\r\n");
            using var silence = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadAtLeastAsync(new byte[1], 1, cancellationToken: silence.Token));
            Assert.True(client.Connected);

            camera.HangUp();
            Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(Deadline));
        }
        finally
        {
            camera.Resume();
        }

        using var again = new TcpClient();
        await again.ConnectAsync("127.0.0.1", cameras.Server.Port);
        Assert.StartsWith("RTSP/1.0 200", await ExchangeAsync(again.GetStream(), $"OPTIONS {url} RTSP/1.0\r\nCSeq: 3\r\n\r\n"));
    }

    private static async Task WriteAsync(NetworkStream stream, string request) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

    private static async Task<string> ExchangeAsync(NetworkStream stream, string request)
    {
        await WriteAsync(stream, request);
        using var timeout = new CancellationTokenSource(Deadline);
        var response = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            response.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var text = response.ToString();
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd < 0) continue;
            var lengthLine = text[..headEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim());
            if (Encoding.UTF8.GetByteCount(text[(headEnd + 4)..]) >= length) return text;
        }
        return response.ToString();
    }
}

public sealed class SimulatedCameraCredentialTests : IAsyncLifetime
{
    private SimulatedCameraServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new SimulatedCameraServer(new SimulatedCameraOptions
        {
            Port = 0, CameraCount = 1, UserName = "operator", Password = "pa55word", EncoderLinger = TimeSpan.FromSeconds(1),
        });
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Requires_the_credentials_in_the_url()
    {
        var id = _server.Cameras.Single().Id;

        var analysis = await FFProbe.AnalyseAsync(_server.UrlFor(id), customArguments: "-rtsp_transport tcp");
        Assert.Equal("h264", analysis.PrimaryVideoStream?.CodecName);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            FFProbe.AnalyseAsync(_server.UrlFor(id, withCredentials: false), customArguments: "-rtsp_transport tcp"));
    }
}

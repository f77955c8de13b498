using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using CommandCenter.Simulators.Cameras;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Two nodes over a real redis-server and one simulated RTSP camera: the camera is relayed by one node only, a viewer
/// on the other node gets its stream through that node, and when the relaying node is killed the stream moves.
/// </summary>
[Collection(OwnHosts.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VideoClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Camera = "cam-0001";
    private readonly string _redisDirectory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    private readonly int _redisPort = CommandCenterProcess.FreePort();
    private ServerProcess _redis = null!;
    private CommandCenterProcess _nodeA = null!;
    private CommandCenterProcess _nodeB = null!;
    private readonly SimulatedCameraServer _cameras = new(new SimulatedCameraOptions
    {
        Port = 0, CameraCount = 1, UserName = "cluster", Password = "Cluster-Pa55", EncoderLinger = TimeSpan.FromSeconds(1),
    }, NullLoggerFactory.Instance);

    private Dictionary<string, string> NodeSettings => new()
    {
        ["Cluster__Redis"] = $"127.0.0.1:{_redisPort}",
        ["VideoRelay__ReadTimeout"] = "00:00:02",
        ["VideoRelay__StallTimeout"] = "00:00:04",
        ["VideoRelay__RestartBackoffInitial"] = "00:00:00.500",
        ["VideoRelay__RestartBackoffMax"] = "00:00:02",
    };

    public async Task InitializeAsync()
    {
        _redis = new ServerProcess("redis-server", "/usr/bin/redis-server",
            ["--port", _redisPort.ToString(), "--bind", "127.0.0.1", "--dir", _redisDirectory, "--save", "", "--appendonly", "no"],
            ServerProcess.Listening(_redisPort));
        await _redis.Start();
        _cameras.Start();
        _nodeA = new CommandCenterProcess(settings: NodeSettings);
        _nodeB = new CommandCenterProcess(settings: NodeSettings);
        await _nodeA.Start();
        await _nodeB.Start();
        var registered = await _nodeA.Api.PutAsJsonAsync($"/api/cameras/{Camera}", new
        {
            id = Camera, streamUrl = _cameras.UrlFor(Camera).ToString(), lat = 36.545, lon = 104.138, heading = 0, fieldOfView = 60, range = 300, name = "Cluster camera",
        });
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
        await _cameras.DisposeAsync();
        await _redis.Stop();
    }

    private static async Task<FormClient> Viewer(CommandCenterProcess node)
    {
        var viewer = new FormClient(node.BaseAddress);
        Assert.True(FormClient.SignedIn(await viewer.SignIn("operator", "Operator#2026")));
        return viewer;
    }

    /// <summary>The playlist once it is served, and the first segment it lists.</summary>
    private static async Task<(string Playlist, string Segment)> Playlist(FormClient viewer, TimeSpan timeout, string what)
    {
        var playlist = await Waiting.Until(async () =>
        {
            using var answer = await viewer.Get($"/video/{Camera}/index.m3u8");
            return answer.StatusCode == HttpStatusCode.OK ? await answer.Content.ReadAsStringAsync() : null;
        }, p => p is not null && p.Contains("#EXTINF"), timeout, what);
        return (playlist!, playlist!.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#')));
    }

    private static async Task<IReadOnlyList<string>> Relayed(FormClient viewer)
    {
        using var answer = await viewer.Get("/video/status");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return [.. JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .Where(s => s.GetProperty("state").GetString() != "Stopped").Select(s => s.GetProperty("cameraId").GetString()!)];
    }

    /// <summary>ffmpeg processes pulling the camera's RTSP stream, on this machine (both nodes).</summary>
    private int RelayProcesses()
    {
        var source = $":{_cameras.UrlFor(Camera).Port}/{Camera}";
        var count = 0;
        foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)))
        {
            try
            {
                var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                if (command.Contains("ffmpeg") && command.Contains("rtsp://") && command.Contains(source) && command.Contains(".m3u8")) count++;
            }
            catch (IOException) { } // Ended while being read.
            catch (UnauthorizedAccessException) { }
        }
        return count;
    }

    [Fact]
    public async Task A_viewer_on_another_node_gets_the_stream_of_the_relaying_node_and_a_killed_node_s_stream_moves()
    {
        using var onA = await Viewer(_nodeA);
        using var onB = await Viewer(_nodeB);

        // Node A is asked first, so A relays; B's viewer gets the same stream through A.
        await Playlist(onA, TimeSpan.FromSeconds(30), "served on A");
        var (playlist, segment) = await Playlist(onB, TimeSpan.FromSeconds(30), "served on B");
        Assert.Contains("#EXTM3U", playlist);
        using (var piece = await onB.Get($"/video/{Camera}/{segment}"))
        {
            Assert.Equal(HttpStatusCode.OK, piece.StatusCode);
            Assert.Equal("video/mp2t", piece.Content.Headers.ContentType?.MediaType);
            var bytes = await piece.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length > 188 && bytes[0] == 0x47, "an MPEG-TS segment");
        }
        // A snapshot asked of B is taken by A, from its relay.
        using (var snapshot = await onB.Get($"/video/{Camera}/snapshot.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
            var jpeg = await snapshot.Content.ReadAsByteArrayAsync();
            Assert.True(jpeg.Length > 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "a JPEG");
        }
        Assert.Equal([Camera], await Relayed(onA));
        Assert.Empty(await Relayed(onB));
        Assert.Equal(1, RelayProcesses());

        // A dies without a word: B's viewer gets the stream again, now relayed by B.
        var clock = Stopwatch.StartNew();
        await _nodeA.Kill();
        await Playlist(onB, TimeSpan.FromSeconds(90), "served on B after A was killed");
        var moved = clock.Elapsed;
        Assert.Equal([Camera], await Relayed(onB));
        // A's ffmpeg died with A (it is started with a parent-death signal): one relay again.
        await Waiting.Until(() => Task.FromResult(RelayProcesses()), n => n == 1, TimeSpan.FromSeconds(10), "one relay process");
        output.WriteLine($"Stream served again on B {moved.TotalSeconds:0.0} s after SIGKILL of the relaying node");
        var (_, later) = await Playlist(onB, TimeSpan.FromSeconds(10), "still served on B");
        using var after = await onB.Get($"/video/{Camera}/{later}");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

using System.Diagnostics;
using System.Globalization;
using CommandCenter.Simulators.Cameras;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests.Benchmarks;

/// <summary>
/// Load benchmark: N relayed streams fed by K simulated cameras (so the cameras' encoders do not eat the CPU
/// being measured), plus one ffmpeg decoding a camera as the CPU baseline of the same run. Reports CPU per
/// relay, time to first playlist, and whether every stream keeps real time. See docs/video.md.
/// </summary>
internal static class RelayBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "startup") return await StartupComparison.RunAsync(new BenchmarkArguments(args[1..]));
        var a = new BenchmarkArguments(args);
        var streams = a.Int("streams", 8);
        var cameraCount = a.Int("cameras", 1);
        var window = TimeSpan.FromSeconds(a.Double("seconds", 30));
        var camerasOptions = new SimulatedCameraOptions
        {
            Port = 0, CameraCount = cameraCount,
            Width = a.Int("width", 1280), Height = a.Int("height", 720),
            FramesPerSecond = a.Int("fps", 25), BitrateKbps = a.Int("kbps", 2500),
            ViewerQueuePackets = 4096,
        };

        await using var server = new SimulatedCameraServer(camerasOptions);
        server.Start();
        var cameras = server.Cameras.ToArray();
        using var decoder = StartDecoder(server.UrlFor(cameras[0].Id));
        await Eventually.TrueAsync(() => cameras[0].PlayerCount > 0, TimeSpan.FromSeconds(20), "the baseline decoder to play");

        var directory = new CameraDirectory();
        var ids = Enumerable.Range(1, streams).Select(i => $"bench-{i:000}").ToArray();
        for (var i = 0; i < streams; i++) directory.Add(ids[i], server.UrlFor(cameras[i % cameraCount].Id));
        await using var host = await RelayHost.StartAsync(directory, new Dictionary<string, string>
        {
            ["MaxConcurrentStreams"] = streams.ToString(CultureInfo.InvariantCulture),
            ["IdleStopAfter"] = "01:00:00",
            ["PlaylistWaitTimeout"] = "00:00:05",
            ["ReadTimeout"] = "00:00:05",
            ["StallTimeout"] = "00:00:10",
            ["FirstSegmentTimeout"] = "00:00:15",
            ["MaxConcurrentStarts"] = a.Int("max-starts", 8).ToString(CultureInfo.InvariantCulture),
            ["StartSlotHold"] = TimeSpan.FromSeconds(a.Double("start-hold", 1)).ToString("c", CultureInfo.InvariantCulture),
        });

        // Cold start of one stream alone, then the rest at once, as when an operator opens a video wall.
        var firstPlaylist = new List<double>();
        try
        {
            firstPlaylist.Add(await TimeToPlaylistAsync(host, ids[0]));
            firstPlaylist.AddRange(await Task.WhenAll(ids.Skip(1).Select(id => TimeToPlaylistAsync(host, id))));
        }
        finally
        {
            if (a.Text("log") is { } log) await File.WriteAllLinesAsync(log, host.Logs.Lines);
        }

        // Relays that lagged while the wall opened catch up first; measure after that.
        await Task.Delay(TimeSpan.FromSeconds(a.Double("settle", 5)));
        var relayPids = ProcessTable.Ffmpegs(host.RelayDirectory).Select(p => p.Pid).ToArray();
        var encoderPids = cameras.Select(c => c.EncoderProcessId).OfType<int>().ToArray();
        var before = Sample(host, relayPids, encoderPids, decoder.Id, cameras);
        await Task.Delay(window);
        var after = Sample(host, relayPids, encoderPids, decoder.Id, cameras);

        var seconds = (after.At - before.At).TotalSeconds;
        double Percent(TimeSpan cpu) => cpu.TotalSeconds / seconds * 100;
        var relayPerStream = Percent(after.Relays - before.Relays) / relayPids.Length;
        var encoderEach = Percent(after.Encoders - before.Encoders) / Math.Max(1, encoderPids.Length);
        var decoderPercent = Percent(after.Decoder - before.Decoder);
        var expectedSegments = seconds / 1.0;
        var keepUp = ids.Select(id => (after.Segments.GetValueOrDefault(id) - before.Segments.GetValueOrDefault(id)) / expectedSegments).ToArray();
        var restarts = host.Relay.GetStatus().Sum(s => s.Restarts);
        var sorted = firstPlaylist.Order().ToArray();

        Console.WriteLine($"| streams | cameras | relay ffmpeg CPU per stream | decoder baseline CPU | relay / decoder | encoder CPU each | test process CPU (simulator + relay supervision) | machine CPU busy | segments produced / expected (min) | packets dropped | restarts | first playlist: single / median / max |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {streams} | {cameraCount} ({camerasOptions.Width}x{camerasOptions.Height}@{camerasOptions.FramesPerSecond}, {camerasOptions.BitrateKbps} kbit/s) " +
            $"| {relayPerStream:0.00} % | {decoderPercent:0.0} % | {relayPerStream / decoderPercent:0.000} | {encoderEach:0.0} % " +
            $"| {Percent(after.Self - before.Self):0.0} % | {MachineBusy(before, after):0.00} of {Environment.ProcessorCount} cores " +
            $"| {keepUp.Min():0.00} | {after.Dropped - before.Dropped} | {restarts} " +
            $"| {sorted[0]:0.00} / {sorted[sorted.Length / 2]:0.00} / {sorted[^1]:0.00} s |"));
        decoder.Kill();
        return keepUp.Min() >= 0.95 && after.Dropped == before.Dropped && restarts == 0 ? 0 : 1;
    }

    /// <summary>Requests the playlist as a player does, retrying after 503 as told, until it is served.</summary>
    private static async Task<double> TimeToPlaylistAsync(RelayHost host, string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await host.Http.GetAsync($"/video/{id}/index.m3u8");
            if (response.IsSuccessStatusCode) return clock.Elapsed.TotalSeconds;
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || clock.Elapsed > TimeSpan.FromMinutes(2))
                response.EnsureSuccessStatusCode();
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    private static Process StartDecoder(Uri url)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var x in new[] { "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url.ToString(), "-f", "null", "-" })
            start.ArgumentList.Add(x);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private sealed record Snapshot(
        DateTime At, TimeSpan Relays, TimeSpan Encoders, TimeSpan Decoder, TimeSpan Self,
        long Dropped, Dictionary<string, long> Segments, (long Busy, long Total) Machine);

    private static Snapshot Sample(RelayHost host, int[] relays, int[] encoders, int decoder, SimulatedCamera[] cameras)
    {
        TimeSpan Sum(IEnumerable<int> pids) => pids.Select(p => ProcessTable.CpuTime(p) ?? TimeSpan.Zero).Aggregate(TimeSpan.Zero, (x, y) => x + y);
        var segments = host.Relay.GetStatus().ToDictionary(s => s.CameraId, s => NewestSegmentNumber(host, s.CameraId));
        return new Snapshot(DateTime.UtcNow, Sum(relays), Sum(encoders), ProcessTable.CpuTime(decoder) ?? TimeSpan.Zero,
            Process.GetCurrentProcess().TotalProcessorTime, cameras.Sum(c => c.PacketsDropped), segments, MachineTicks());
    }

    private static long NewestSegmentNumber(RelayHost host, string id)
    {
        var playlist = Path.Combine(host.RelayDirectory, "streams", id, "index.m3u8");
        return File.Exists(playlist) ? Playlist.Number(Playlist.NewestSegment(File.ReadAllText(playlist))) : 0;
    }

    private static (long Busy, long Total) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = cpu[3] + cpu[4];
        return (cpu.Sum() - idle, cpu.Sum());
    }

    private static double MachineBusy(Snapshot before, Snapshot after) =>
        (double)(after.Machine.Busy - before.Machine.Busy) / Math.Max(1, after.Machine.Total - before.Machine.Total) * Environment.ProcessorCount;
}

using System.Diagnostics;
using System.Globalization;
using CommandCenter.Simulators.Cameras;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests.Benchmarks;

/// <summary>
/// Low-latency HLS against fragmented MP4 on a pipe, from the same warm camera: time until a browser could
/// start (HLS: first playlist; fMP4: first bytes, i.e. init segment and first fragment) and CPU of each.
/// </summary>
internal static class StartupComparison
{
    public static async Task<int> RunAsync(BenchmarkArguments a)
    {
        var trials = a.Int("trials", 6);
        await using var server = new SimulatedCameraServer(new SimulatedCameraOptions
        {
            Port = 0, CameraCount = 1, Width = a.Int("width", 1280), Height = a.Int("height", 720),
            FramesPerSecond = a.Int("fps", 25), BitrateKbps = a.Int("kbps", 2500),
        });
        server.Start();
        var url = server.UrlFor(server.Cameras.Single().Id).ToString();
        using var keepWarm = Start(["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", url, "-c", "copy", "-f", "null", "-"]);
        await Eventually.TrueAsync(() => server.Cameras.Single().PlayerCount > 0, TimeSpan.FromSeconds(20), "the camera to run");

        var hls = new List<double>();
        var fmp4 = new List<double>();
        var hlsCpu = new List<double>();
        var fmp4Cpu = new List<double>();
        for (var i = 0; i < trials; i++)
        {
            var (first, cpu) = await HlsAsync(url);
            hls.Add(first);
            hlsCpu.Add(cpu);
            (first, cpu) = await Fmp4Async(url);
            fmp4.Add(first);
            fmp4Cpu.Add(cpu);
        }
        keepWarm.Kill();
        Console.WriteLine("| output | first playable output after (median, min–max of " + trials + ") | CPU while relaying |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(Row("HLS, 1 s segments (first playlist)", hls, hlsCpu));
        Console.WriteLine(Row("fragmented MP4 to a pipe (first bytes)", fmp4, fmp4Cpu));
        return 0;
    }

    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(8);

    private static async Task<(double First, double Cpu)> HlsAsync(string url)
    {
        var dir = Directory.CreateTempSubdirectory("startup-hls-").FullName;
        var playlist = Path.Combine(dir, "index.m3u8");
        var clock = Stopwatch.StartNew();
        using var ffmpeg = Start(["-loglevel", "error", "-rtsp_transport", "tcp", "-analyzeduration", "100000", "-i", url,
            "-map", "0:v:0", "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_list_size", "4",
            "-hls_flags", "delete_segments+temp_file+independent_segments+omit_endlist",
            "-hls_segment_filename", Path.Combine(dir, "seg-%d.ts"), playlist]);
        await Eventually.TrueAsync(() => File.Exists(playlist), TimeSpan.FromSeconds(20), "the first playlist");
        var first = clock.Elapsed.TotalSeconds;
        var cpu = await CpuOverAsync(ffmpeg.Id);
        ffmpeg.Kill();
        await ffmpeg.WaitForExitAsync();
        Directory.Delete(dir, recursive: true);
        return (first, cpu);
    }

    private static async Task<(double First, double Cpu)> Fmp4Async(string url)
    {
        var clock = Stopwatch.StartNew();
        using var ffmpeg = Start(["-loglevel", "error", "-rtsp_transport", "tcp", "-analyzeduration", "100000", "-i", url,
            "-map", "0:v:0", "-c", "copy", "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "pipe:1"]);
        var buffer = new byte[64 * 1024];
        await ffmpeg.StandardOutput.BaseStream.ReadAtLeastAsync(buffer, 1);
        var first = clock.Elapsed.TotalSeconds;
        var drain = ffmpeg.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var cpu = await CpuOverAsync(ffmpeg.Id);
        ffmpeg.Kill();
        await ffmpeg.WaitForExitAsync();
        try { await drain; } catch (IOException) { }
        return (first, cpu);
    }

    private static async Task<double> CpuOverAsync(int pid)
    {
        var before = ProcessTable.CpuTime(pid) ?? TimeSpan.Zero;
        await Task.Delay(Measured);
        var after = ProcessTable.CpuTime(pid) ?? TimeSpan.Zero;
        return (after - before).TotalSeconds / Measured.TotalSeconds * 100;
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var x in args) start.ArgumentList.Add(x);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static string Row(string name, List<double> firsts, List<double> cpu)
    {
        var sorted = firsts.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {sorted[sorted.Length / 2]:0.00} s ({sorted[0]:0.00}–{sorted[^1]:0.00}) | {cpu.Average():0.00} % of a core |");
    }
}

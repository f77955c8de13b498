namespace CommandCenter.VideoRelay.Tests;

/// <summary>
/// The test assembly is also a small program: <c>relay-host</c> runs a relay that a test kills with SIGKILL,
/// <c>bench</c> runs the load benchmark (see docs/video.md). The test runner never calls this.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "relay-host" => await KilledHost.RunAsync(args[1..]),
        "bench" => await Benchmarks.RelayBenchmark.RunAsync(args[1..]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: VideoRelay.Tests relay-host <work-dir> <camera-id> <rtsp-url> | bench [options]");
        return 2;
    }
}

using System.Diagnostics;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;
using CommandCenter.Web.Tests;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// What the live feed costs beside a grain writing its node's board directly, at 10,000 handhelds:
/// <c>FEED_BENCH_ROUNDS=5 dotnet test tests/Grains.Tests -c Release --filter FullyQualifiedName~LiveFeedBenchmark</c>.
/// Each round every handheld changes once (a fix a second each); the round's changes go once through
/// <see cref="LiveBoard.Publish(DeviceSnapshot)"/> and once through <see cref="LiveFeed.Publish(DeviceSnapshot)"/> to
/// every node's board, and the time until both boards hold the whole round is measured, with the process's CPU time.
/// </summary>
public sealed class LiveFeedBenchmark(ITestOutputHelper output)
{
    private const string Variable = "FEED_BENCH_ROUNDS";

    [BenchmarkFact(Variable)]
    public async Task The_feed_beside_a_direct_board_write_at_ten_thousand_handhelds()
    {
        var rounds = BenchmarkSettings.Int(Variable, 5);
        var devices = BenchmarkSettings.Int("FEED_BENCH_DEVICES", 10_000);
        await using var cluster = await GrainCluster.Start(settings: new Dictionary<string, string?> { ["Devices:OfflineAfter"] = "01:00:00" }, silos: 2);
        var boards = Enumerable.Range(0, 2).Select(silo => cluster.Services(silo).GetRequiredService<LiveBoard>()).ToList();
        var feed = cluster.Services(0).GetRequiredService<LiveFeed>();
        await GrainCluster.Eventually(() => Task.FromResult(feed.Destinations.Count), count => count == 2, TimeSpan.FromSeconds(10), "both nodes in the feed");

        var direct = new List<(double Ms, double Cpu)>();
        var viaFeed = new List<(double Ms, double Cpu)>();
        for (var round = 1; round <= rounds; round++)
        {
            var at = DateTimeOffset.UtcNow;
            direct.Add(await Measure(() =>
            {
                foreach (var board in boards)
                    for (var i = 0; i < devices; i++) board.Publish(Fix("direct", i, at));
                return Task.CompletedTask;
            }));
            viaFeed.Add(await Measure(async () =>
            {
                for (var i = 0; i < devices; i++) feed.Publish(Fix("feed", i, at));
                // A round may leave in two batches (the batch is taken while it is being published): wait for all of it.
                foreach (var board in boards)
                    await GrainCluster.Eventually(() => Task.FromResult(Enumerable.Range(0, devices).Count(i => board.Device(DeviceKind.Handheld, $"feed-{i}")?.LastSeen == at)),
                        count => count == devices, TimeSpan.FromSeconds(30), "the whole round on the board");
            }));
            // About a fix a second per handheld.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // The first round warms both paths up.
        double Median(List<(double Ms, double Cpu)> runs, Func<(double Ms, double Cpu), double> of) => Percentiles.Of(runs.Skip(1).Select(of), 50);
        output.WriteLine($"{devices} handhelds, 2 nodes, {rounds} rounds (first left out), machine shared");
        output.WriteLine($"direct board writes (both boards): {Median(direct, r => r.Ms):0.0} ms wall, {Median(direct, r => r.Cpu):0.0} ms CPU per round");
        output.WriteLine($"through the feed to both boards:   {Median(viaFeed, r => r.Ms):0.0} ms wall (includes waiting for the batch), {Median(viaFeed, r => r.Cpu):0.0} ms CPU per round");
        output.WriteLine($"CPU ratio feed/direct: {Median(viaFeed, r => r.Cpu) / Median(direct, r => r.Cpu):0.0}; dropped batches: {feed.Dropped}");
    }

    private static DeviceSnapshot Fix(string prefix, int i, DateTimeOffset at) =>
        new(DeviceKind.Handheld, $"{prefix}-{i}", true, at, at, new GeoPoint(36.5 + i * 1e-5, 104.1), 0.9,
            new Dictionary<string, double>(), []);

    private static async Task<(double Ms, double Cpu)> Measure(Func<Task> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await work();
        return (clock.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
    }
}

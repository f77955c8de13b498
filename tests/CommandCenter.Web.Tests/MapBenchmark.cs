using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The live map at city scale (docs/performance.md, "Live map at city scale"): frames per second measured in chromium's
/// page (requestAnimationFrame callbacks over a window, and the longest frame) and the host's CPU over the same window,
/// first with no devices (the baseline), then with the simulators' load mode moving every handheld once a second, at the
/// map's opening view and zoomed out to where devices are clustered; then the host's resident memory per further screen
/// holding the whole map. Runs only when <c>MAP_BENCH</c> names the seconds of each window; <c>MAP_BENCH_DEVICES</c>
/// (default 10,000) sizes the load.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class MapBenchmark(ITestOutputHelper output)
{
    private const string Operator = "operator", OperatorPassword = "Operator#2026";
    private const int ExtraScreens = 3;

    [BenchmarkFact("MAP_BENCH")]
    public async Task Frames_and_host_cpu_with_ten_thousand_moving_handhelds()
    {
        var seconds = BenchmarkSettings.Int("MAP_BENCH", 20);
        var devices = BenchmarkSettings.Int("MAP_BENCH_DEVICES", 10_000);
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["Live__PushInterval"] = "00:00:00.250",
            ["Devices__OfflineAfter"] = "01:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await host.Start();
        await using var chromium = await Browser.Launch();
        var page = await chromium.SignIn(host.BaseAddress, Operator, OperatorPassword);
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!(window.liveMap && window.liveMap.map)"), up => up, TimeSpan.FromSeconds(30), "the map up");

        var rows = new List<(string Phase, Window Measured)> { ("baseline: no devices", await Measure(host, page, seconds)) };

        // Once a second each: as many messages a second as handhelds.
        using var load = SimulatorsProcess.StartLoad(host, devices, devices);
        try
        {
            await Waiting.Until(() => page.EvaluateAsync<int>("() => window.liveMap.deviceCount()"), n => n >= devices, TimeSpan.FromMinutes(3), "every handheld on the map");
            rows.Add(($"{devices:N0} handhelds, opening view (zoom 12)", await Measure(host, page, seconds)));
            await page.EvaluateAsync("() => window.liveMap.map.setZoom(9, { animate: false })");
            rows.Add(($"{devices:N0} handhelds, clustered (zoom 9)", await Measure(host, page, seconds)));
            var clusters = await page.EvaluateAsync<int>("() => window.liveMap.drawn().clusters.length");

            // Further screens, each holding the whole map: what each adds to the host's memory.
            var before = host.ResidentBytes();
            var screens = new List<IPage>();
            for (var i = 0; i < ExtraScreens; i++)
            {
                var screen = await chromium.SignIn(host.BaseAddress, Operator, OperatorPassword);
                await Waiting.Until(() => screen.EvaluateAsync<int>("() => window.liveMap ? window.liveMap.deviceCount() : 0"), n => n >= devices,
                    TimeSpan.FromMinutes(3), "every handheld on the further screen's map");
                screens.Add(screen);
            }
            var perScreen = (host.ResidentBytes() - before) / (double)ExtraScreens / (1024 * 1024);

            var baseline = rows[0].Measured;
            output.WriteLine("| phase | frames/s | longest frame (ms) | frames/s ÷ baseline | host CPU (% of a core) | host CPU − baseline |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (phase, m) in rows)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {phase} | {m.Fps:0.0} | {m.LongestFrame:0} | {m.Fps / baseline.Fps:0.00} | {m.HostCpu:0} | {m.HostCpu - baseline.HostCpu:+0;-0;0} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"clusters drawn at zoom 9: {clusters}; host resident memory per further screen holding the map: {perScreen:0.0} MiB"));
        }
        finally
        {
            load.Kill(entireProcessTree: true);
        }
    }

    private sealed record Window(double Fps, double LongestFrame, double HostCpu);

    /// <summary>Animation frames counted in the page over the window, beside the host's CPU time over the same window.</summary>
    private static async Task<Window> Measure(CommandCenterProcess host, IPage page, int seconds)
    {
        var (cpu0, t0) = (host.CpuTime(), Stopwatch.GetTimestamp());
        var frames = await page.EvaluateAsync<JsonElement>("""
            ms => new Promise(resolve => {
              let count = 0, longest = 0, last = performance.now();
              const start = last;
              const tick = now => {
                count++;
                longest = Math.max(longest, now - last);
                last = now;
                if (now - start < ms) requestAnimationFrame(tick);
                else resolve({ fps: count * 1000 / (now - start), longest });
              };
              requestAnimationFrame(tick);
            })
            """, seconds * 1000);
        var cpu = (host.CpuTime() - cpu0).TotalSeconds / Stopwatch.GetElapsedTime(t0).TotalSeconds * 100;
        return new Window(frames.GetProperty("fps").GetDouble(), frames.GetProperty("longest").GetDouble(), cpu);
    }
}

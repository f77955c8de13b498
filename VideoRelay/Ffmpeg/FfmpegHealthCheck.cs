using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Ffmpeg;

/// <summary>
/// ffmpeg on <c>/health</c>: found where <see cref="VideoRelayOptions.FfmpegFolder"/> (or PATH) says, and answering
/// <c>-version</c>. Run once and kept: the binary does not change under a running relay, and <c>/health</c> is polled.
/// </summary>
internal sealed class FfmpegHealthCheck(IOptions<VideoRelayOptions> options) : IHealthCheck
{
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(10);
    private readonly Lazy<Task<HealthCheckResult>> _result = new(() => Probe(options.Value));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _result.Value.WaitAsync(cancellationToken);

    private static async Task<HealthCheckResult> Probe(VideoRelayOptions settings)
    {
        var path = FfmpegLauncher.Find(settings);
        if (path is null)
            return HealthCheckResult.Unhealthy($"ffmpeg not found; install it or set {VideoRelayOptions.SectionName}:{nameof(VideoRelayOptions.FfmpegFolder)}");
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, "-hide_banner -version")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var firstLine = await process.StandardOutput.ReadLineAsync();
            using var timeout = new CancellationTokenSource(VersionTimeout);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0
                ? HealthCheckResult.Healthy(firstLine ?? "ffmpeg")
                : HealthCheckResult.Unhealthy($"ffmpeg -version exited with {process.ExitCode}");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"ffmpeg did not run ({e.GetType().Name})");
        }
    }
}

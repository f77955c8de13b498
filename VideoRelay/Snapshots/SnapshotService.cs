using System.Globalization;
using FFMpegCore;
using FFMpegCore.Pipes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Ffmpeg;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.VideoRelay.Snapshots;

internal sealed class SnapshotService(
    StreamRegistry streams, CameraServices cameras, FfmpegLauncher launcher,
    IOptions<VideoRelayOptions> options, ILogger<SnapshotService> logger) : ISnapshotService, IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentSnapshots);

    public async Task<byte[]> TakeAsync(string cameraId, CancellationToken ct)
    {
        var source = await cameras.FindAsync(cameraId, ct) ?? throw new CameraNotFoundException(cameraId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SnapshotTimeout);
        try
        {
            await _slots.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SnapshotFailedException(cameraId, "too many snapshots at once");
        }
        try
        {
            // A relay started a moment ago (an alert warms the stream just before asking for its picture) is the
            // better source: many cameras allow few sessions, and a second one while the first is still negotiating
            // often gets nothing. So wait for its first segment (a keyframe away: seconds on a real camera), leaving
            // a quarter of the snapshot's time for asking the camera directly.
            var relayed = streams.Peek(cameraId);
            if (relayed is { NewestSegmentPath: null, IsFinished: false })
                await relayed.WaitUntilOnlineAsync(options.Value.SnapshotTimeout * 0.75, timeout.Token);
            if (relayed?.NewestSegmentPath is { } segment
                && await GrabAsync(cameraId, FFMpegArguments.FromFileInput(segment, verifyExists: false, i => i.WithCustomArgument(QuietInput)), null, timeout.Token) is { } fromRelay)
                return fromRelay;

            var rtspInput = FFMpegArguments.FromUrlInput(source.RtspUrl, i => i.WithCustomArgument(
                $"{QuietInput} -rtsp_transport tcp -timeout {(long)options.Value.ReadTimeout.TotalMicroseconds}"));
            if (await GrabAsync(cameraId, rtspInput, source.RtspUrl, timeout.Token) is { } fromCamera) return fromCamera;
            ct.ThrowIfCancellationRequested();
            throw new SnapshotFailedException(cameraId, timeout.IsCancellationRequested
                ? $"no picture within {options.Value.SnapshotTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
                : "the camera gave no picture");
        }
        finally
        {
            _slots.Release();
        }
    }

    private const string QuietInput = "-hide_banner -nostats -loglevel error";

    /// <summary>One frame of the input as JPEG, or null when ffmpeg produced none.</summary>
    private async Task<byte[]?> GrabAsync(string cameraId, FFMpegArguments input, Uri? secretsIn, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return null;
        using var jpeg = new MemoryStream();
        string? lastError = null;
        var command = input
            .OutputToPipe(new StreamPipeSink(jpeg), o => o
                .WithFrameCount(1)
                .WithCustomArgument($"-f image2pipe -c:v mjpeg -q:v {options.Value.SnapshotQuality.ToString(CultureInfo.InvariantCulture)}"))
            .NotifyOnStandardError(line =>
            {
                // Runs on the process reader's thread, where an exception would end the process.
                try { lastError = UrlRedactor.Redact(line, secretsIn); }
                catch (Exception) { lastError = "unreadable ffmpeg output"; }
            });
        try
        {
            var result = await launcher.RunAsync(command, ct);
            var bytes = jpeg.ToArray();
            if (result.Success && IsJpeg(bytes)) return bytes;
            logger.LogWarning("Snapshot of {CameraId} failed (exit code {ExitCode}): {Error}", cameraId, result.ExitCode, lastError ?? "no output");
            return null;
        }
        catch (Exception e) when (e is OperationCanceledException or FFMpegCore.Exceptions.FFMpegException or IOException)
        {
            logger.LogWarning("Snapshot of {CameraId} failed: {Error}", cameraId, UrlRedactor.Redact(e.Message, secretsIn));
            return null;
        }
    }

    private static bool IsJpeg(byte[] bytes) => bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8;

    public void Dispose() => _slots.Dispose();
}

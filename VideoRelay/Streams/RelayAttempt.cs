using System.Globalization;
using FFMpegCore;
using Microsoft.Extensions.Logging;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Ffmpeg;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>
/// One ffmpeg run of a stream: takes a start slot, starts ffmpeg, and watches the playlist until the run is
/// lost (ffmpeg exited, or no segment for too long) or the stream is stopped.
/// </summary>
internal sealed class RelayAttempt(
    RelayContext context, string cameraId, HlsOutput output, Func<string, TimeSpan, Task> onNewSegment)
{
    /// <summary>Why the run was lost, or null when it ended because the stream was stopped.</summary>
    public async Task<StreamLoss?> RunAsync(CameraSource source, CancellationToken stop)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var stderr = new StderrTail(context.Options.StderrLinesKept);
        var command = HlsCommand.Build(source.RtspUrl, output, context.Options).NotifyOnStandardError(line =>
        {
            // Runs on the process reader's thread, where an exception would end the process.
            try
            {
                var redacted = UrlRedactor.Redact(line, source.RtspUrl);
                stderr.Add(redacted);
                context.Logger.LogDebug("ffmpeg {CameraId}: {Line}", cameraId, redacted);
            }
            catch (Exception e)
            {
                context.Logger.LogDebug(e, "ffmpeg {CameraId}: an output line was lost", cameraId);
            }
        });
        context.Logger.LogDebug("Stream {CameraId} runs ffmpeg {Arguments}", cameraId, UrlRedactor.Redact(command.Arguments, source.RtspUrl));

        await context.StartSlots.WaitAsync(stop);
        var startSlot = new StartSlot(context.StartSlots);
        try
        {
            return await WatchAsync(context.Launcher.RunAsync(command, attempt.Token), attempt, stderr, startSlot, stop);
        }
        finally
        {
            startSlot.Release();
        }
    }

    private async Task<StreamLoss?> WatchAsync(
        Task<FFMpegResult> run, CancellationTokenSource attempt, StderrTail stderr, StartSlot startSlot, CancellationToken stop)
    {
        var options = context.Options;
        var startedAt = context.Time.GetUtcNow();
        var lastProgressAt = startedAt;
        string? newest = null;
        while (true)
        {
            await Task.WhenAny(run, Task.Delay(options.ProgressPollInterval, context.Time, stop));
            if (stop.IsCancellationRequested)
            {
                await StopAsync(run, attempt);
                return null;
            }
            if (run.IsCompleted) return ExitReason(run, stderr, wasOnline: newest is not null);

            var now = context.Time.GetUtcNow();
            if (now - startedAt > options.StartSlotHold) startSlot.Release();
            var segment = output.NewestSegment();
            if (segment is not null && segment != newest)
            {
                newest = segment;
                lastProgressAt = now;
                startSlot.Release();
                await onNewSegment(segment, now - startedAt);
                continue;
            }
            var silence = now - lastProgressAt;
            if (silence > (newest is null ? options.FirstSegmentTimeout : options.StallTimeout))
            {
                await StopAsync(run, attempt);
                var what = newest is null ? "no segment" : "no new segment";
                return new StreamLoss(newest is null ? StreamLoss.Unavailable : StreamLoss.Stalled,
                    $"{what} for {silence.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" + Detail(stderr));
            }
        }
    }

    private static async Task StopAsync(Task run, CancellationTokenSource attempt)
    {
        await attempt.CancelAsync();
        try { await run; }
        catch (Exception e) when (e is OperationCanceledException or FFMpegCore.Exceptions.FFMpegException) { }
    }

    private static StreamLoss ExitReason(Task<FFMpegResult> run, StderrTail stderr, bool wasOnline) =>
        new(wasOnline ? StreamLoss.Ended : StreamLoss.Unavailable, run.IsFaulted
            ? "ffmpeg failed: " + UrlRedactor.Redact(run.Exception!.GetBaseException().Message) + Detail(stderr)
            : $"ffmpeg exited with code {run.Result.ExitCode}" + Detail(stderr));

    private static string Detail(StderrTail stderr) => stderr.Last is { } line ? $" ({line})" : "";

    /// <summary>One of the <see cref="VideoRelayOptions.MaxConcurrentStarts"/> slots, given back exactly once.</summary>
    private sealed class StartSlot(SemaphoreSlim slots)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}

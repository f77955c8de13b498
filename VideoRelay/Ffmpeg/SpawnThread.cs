using System.Collections.Concurrent;

namespace CommandCenter.VideoRelay.Ffmpeg;

/// <summary>
/// Runs work on one thread that lives as long as the process. Linux's parent-death signal (which kills
/// ffmpeg when the relay dies) fires when the thread that forked the child exits, and thread-pool
/// threads exit when idle, so every ffmpeg is forked here.
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<Action> Work = [];
    private static readonly Thread Thread = StartThread();

    /// <summary>Runs <paramref name="start"/> on the spawn thread; the task completes with what it returned.</summary>
    public static Task<T> InvokeAsync<T>(Func<T> start)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try { done.SetResult(start()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var action in Work.GetConsumingEnumerable()) action();
        })
        { IsBackground = true, Name = "ffmpeg-spawner" };
        thread.Start();
        return thread;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Grains.Cases;

/// <summary>
/// Flags warned and overdue cases on time with no screen open. The store is the timer: every open case has a
/// <c>next_check</c> (its warning, then its deadline), and this one loop reads the earliest from an index, wakes the
/// grains whose time has come, and sleeps until the next, or until a grain stores an earlier one. Nothing is held
/// in memory that a restart would lose: after a restart the first read finds every deadline that passed meanwhile.
/// Chosen over Orleans reminders, which the silo has no provider for and which would need a reminder table of their
/// own beside the cases, one reminder per open case.
/// </summary>
public sealed class CaseDeadlineWatch(IGrainFactory grains, CaseStore store, [FromKeyedServices(RuleClock.Key)] TimeProvider clock, ILogger<CaseDeadlineWatch> logger)
    : BackgroundService
{
    private const int Batch = 256;
    /// <summary>The wait after a failed round: the store or a grain failing must not spin the loop.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
    /// <summary>The longest sleep: cases written around the grains (a bulk load) are picked up within this.</summary>
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _sleepingUntil = DateTimeOffset.MaxValue;

    /// <summary>Every stored change of a case, for screens (overdue list, case pages).</summary>
    public event Action<Case>? Changed;

    /// <summary>Called by a case grain after it stored <paramref name="stored"/>: wakes the loop when its next check is earlier than the planned wake.</summary>
    public void Scheduled(Case stored)
    {
        if (CaseStore.NextCheck(stored) is { } next)
            lock (_gate)
                if (next < _sleepingUntil) _wake.TrySetResult();
        try { Changed?.Invoke(stored); }
        catch (Exception e) { logger.LogWarning(e, "A screen failed on case {Id}", stored.Id); }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            Task woken;
            lock (_gate)
            {
                _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                woken = _wake.Task;
                // While a round runs, any case stored wakes the next one: the round may have read the store before it.
                _sleepingUntil = DateTimeOffset.MaxValue;
            }
            TimeSpan wait;
            try
            {
                var now = clock.GetUtcNow();
                var (due, next) = await store.ChecksAsync(now, Batch);
                foreach (var id in due) await grains.GetGrain<ICaseGrain>(id).CheckDeadline();
                if (due.Count > 0) logger.LogInformation("Checked the deadlines of {Count} cases", due.Count);
                if (due.Count == Batch) continue;
                // A case stored during this round has completed the wake already: the sleep below ends at once.
                lock (_gate) _sleepingUntil = next ?? DateTimeOffset.MaxValue;
                wait = next is { } at ? at - clock.GetUtcNow() : LongestSleep;
                if (wait < TimeSpan.Zero) continue;
                if (wait > LongestSleep) wait = LongestSleep;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Checking case deadlines failed; trying again in {Delay}", RetryAfter);
                wait = RetryAfter;
            }
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var timer = Task.Delay(wait, clock, sleep.Token);
            await Task.WhenAny(timer, woken);
            sleep.Cancel();
            await timer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

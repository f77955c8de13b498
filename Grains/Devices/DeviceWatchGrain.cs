using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// Runs the offline sweep in one place in the cluster. Coarse and fine: an Orleans reminder (stored, every
/// <see cref="ReminderPeriod"/>) reactivates this grain on a live node after the node it ran on dies, and while it is
/// active a grain timer sweeps every <see cref="DeviceOptions.OfflineCheckInterval"/> over the board of the node it is
/// on (every node's board holds every device, through the live feed). Reminders alone cannot tick faster than a
/// minute; a timer alone would die with its node. Every node also asks for this grain every interval
/// (<see cref="DeviceWatch"/>), which after a node's death reactivates it sooner than the reminder.
/// </summary>
public sealed class DeviceWatchGrain(DeviceWatch watch, ILocalSiloDetails silo, IOptions<DeviceOptions> options, ILogger<DeviceWatchGrain> logger)
    : Grain, IDeviceWatchGrain, IRemindable
{
    public const string ReminderName = "offline-sweep";

    /// <summary>The shortest period Orleans reminders allow.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private bool _reminderSet;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.OfflineCheckInterval;
        // A sweep that outlasts the interval is not started again until it is done: grain timers do not overlap.
        this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        logger.LogInformation("Sweeping for silent devices every {Interval} on this node", interval);
        return Task.CompletedTask;
    }

    public async Task Start()
    {
        if (_reminderSet) return;
        if (await this.GetReminder(ReminderName) is null)
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        _reminderSet = true;
    }

    public Task<string> Node() => Task.FromResult(silo.SiloAddress.ToParsableString());

    /// <summary>Being active is all the reminder is for: activation started the timer.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private Task Sweep(CancellationToken cancellationToken) => watch.Sweep(cancellationToken);
}

using System.Text.Json.Nodes;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Commands;

/// <summary>
/// Carries dispatch tasks to handhelds as <c>task</c> commands through <see cref="DeviceCommands"/>, under the cmdId the
/// handheld grain stored, waiting <see cref="DispatchOptions.AckTimeout"/> and sending <see cref="DispatchOptions.Attempts"/>
/// times; a task still unanswered is reported to the handheld grain, which flags it to the dispatcher.
/// </summary>
public sealed class TaskDelivery(DeviceCommands commands, IGrainFactory grains, IOptions<DispatchOptions> options,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<TaskDelivery> logger) : ITaskSender
{
    /// <summary>The command type of a task on <c>cc/handheld/{id}/cmd</c>.</summary>
    public const string CommandType = "task";

    public void Send(string handheldId, UnitTask task) => _ = Deliver(handheldId, task);

    /// <summary>The arguments of a task command (docs/device-contract.md, "Tasks").</summary>
    public static JsonObject Arguments(UnitTask task) => new()
    {
        ["incident"] = task.IncidentId,
        ["type"] = task.Type.Name(),
        ["level"] = IncidentLevels.Name(task.Level),
        ["lat"] = task.Place.Lat,
        ["lon"] = task.Place.Lon,
        ["title"] = task.Title,
    };

    private async Task Deliver(string handheldId, UnitTask task)
    {
        var settings = options.Value;
        var stopping = lifetime.ApplicationStopping;
        try
        {
            // At start-up the handhelds are woken, and re-send their tasks, before the broker runs: wait for it
            // (a second each time) rather than count sends that reached nobody.
            CommandOutcome outcome;
            while ((outcome = await commands.Send(DeviceKind.Handheld, handheldId, CommandType, Arguments(task),
                       new CommandDelivery(task.CmdId, settings.AckTimeout, settings.Attempts), stopping)) is { Attempts: 0 })
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stopping);
            if (!outcome.Acknowledged) await grains.GetGrain<IHandheldGrain>(handheldId).Unanswered(task.CmdId);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Still stored unanswered: sent again after the restart.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivering task {CmdId} of incident {Incident} to handheld {Handheld} failed", task.CmdId, task.IncidentId, handheldId);
        }
    }
}

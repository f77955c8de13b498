using System.Buffers;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;

namespace CommandCenter.DeviceGateway;

/// <summary>Turns one device message into the call on its grain.</summary>
public sealed class DeviceMessageRouter(IGrainFactory grains, DeviceMessageParser parser, GatewayStats stats)
{
    /// <summary>
    /// Returns once the grain has taken the message when <paramref name="acknowledged"/> (QoS 1/2:
    /// the broker acknowledges it to the device only afterwards); otherwise hands it on without waiting.
    /// </summary>
    /// <returns>False when the message was rejected.</returns>
    public async ValueTask<bool> Route(string clientId, string topic, ReadOnlySequence<byte> payload, bool acknowledged)
    {
        DeviceMessage message;
        try
        {
            message = parser.Parse(topic, payload);
        }
        catch (RejectedMessageException rejection)
        {
            stats.Rejected(clientId, topic, rejection);
            return false;
        }
        if (message is UnitEventMessage unitEvent)
            return await MoveUnit(clientId, topic, unitEvent);
        stats.Accepted();
        var delivery = Deliver(message);
        if (acknowledged)
        {
            try { await delivery; }
            catch (Exception e) { stats.Failed(e, topic); throw; }
        }
        else
        {
            _ = delivery.ContinueWith(t => stats.Failed(t.Exception!.GetBaseException(), topic),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        return true;
    }

    /// <summary>
    /// A unit event is always awaited: whether it fits the unit's task decides if it counts as accepted or rejected,
    /// and a move the handheld was told is taken must be on disk.
    /// </summary>
    private async ValueTask<bool> MoveUnit(string clientId, string topic, UnitEventMessage message)
    {
        UnitMoveOutcome outcome;
        try
        {
            outcome = await grains.GetGrain<IHandheldGrain>(message.DeviceId).ReportUnitEvent(message.Event);
        }
        catch (Exception e)
        {
            stats.Failed(e, topic);
            throw;
        }
        if (outcome is UnitMoveOutcome.Applied or UnitMoveOutcome.Repeated)
        {
            stats.Accepted();
            return true;
        }
        stats.Rejected(clientId, topic, new RejectedMessageException(RejectReason.Command, outcome == UnitMoveOutcome.NotItsTask
            ? $"'{message.Event.Type}' but the unit has no task"
            : $"'{message.Event.Type}' does not fit the unit's status"));
        return false;
    }

    private Task Deliver(DeviceMessage message) => message switch
    {
        SensorTelemetry m => CountLate(grains.GetGrain<ISensorGrain>(m.DeviceId).Report(m.Reading)),
        HandheldTelemetry m => CountLate(grains.GetGrain<IHandheldGrain>(m.DeviceId).Report(m.Fix)),
        StatusMessage m => grains.Get(m.Kind, m.DeviceId).ReportStatus(m.Status),
        EventMessage m => grains.Get(m.Kind, m.DeviceId).ReportEvent(m.Event),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name),
    };

    private async Task CountLate(Task<ReportOutcome> report)
    {
        if (await report == ReportOutcome.Late) stats.Late();
    }
}

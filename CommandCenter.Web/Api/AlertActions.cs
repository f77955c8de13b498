using CommandCenter.Grains.Alerts;

namespace CommandCenter.Web.Api;

/// <summary>What an operator does to an alert, by alert id, from the dashboard or the API.</summary>
public sealed class AlertActions(AlertStore alerts, IGrainFactory grains)
{
    public async Task<Alert?> Acknowledge(string alertId, string by) =>
        await alerts.FindAsync(alertId) is { IsActive: true } alert
            ? await grains.GetGrain<IAlertGrain>(alert.Key.GrainKey).Acknowledge(alertId, by)
            : null;

    public async Task<bool> Clear(string alertId, string by) =>
        await alerts.FindAsync(alertId) is { IsActive: true } alert
        && await grains.GetGrain<IAlertGrain>(alert.Key.GrainKey).ClearByHand(alertId, by);
}

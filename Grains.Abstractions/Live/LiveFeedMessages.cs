using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Live;

/// <summary>A device a board drops (retired); carried by kind and id because the board forgets by both.</summary>
[GenerateSerializer, Immutable, Alias("forgotten-device")]
public sealed record ForgottenDevice(DeviceKind Kind, string Id);

/// <summary>
/// What the grains of one node changed since its last batch, sent to every node's board. Forgotten devices apply
/// before <see cref="Devices"/>, so a device retired and heard again within one batch stays on the board.
/// </summary>
/// <param name="Origin">The node whose grains made these changes.</param>
[GenerateSerializer, Immutable, Alias("live-feed-batch")]
public sealed record LiveFeedBatch(
    string Origin,
    IReadOnlyList<DeviceSnapshot> Devices,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<Dispatch.Incident> Incidents,
    IReadOnlyList<ForgottenDevice> Forgotten)
{
    public bool IsEmpty => Devices.Count == 0 && Alerts.Count == 0 && Incidents.Count == 0 && Forgotten.Count == 0;
}

/// <summary>One node's receiving end of the feed, as the registry hands it out.</summary>
[GenerateSerializer, Immutable, Alias("live-feed-node")]
public sealed record LiveFeedMember(string Node, ILiveFeedObserver Observer);

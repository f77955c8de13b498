using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Live;

/// <summary>A device a board drops (retired); carried by kind and id because the board forgets by both.</summary>
[GenerateSerializer, Immutable, Alias("forgotten-device")]
public sealed record ForgottenDevice(DeviceKind Kind, string Id);

/// <summary>
/// A device's registration changed (registered, re-keyed, retired, moved, profile changed) on the node that carries it.
/// Only the id travels: every other node re-reads the device's row from the record database, so a secret's hash never
/// leaves it and a node always ends up with the committed row, whatever order changes arrive in.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry-change")]
public sealed record RegistryChange(string DeviceId);

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
    IReadOnlyList<ForgottenDevice> Forgotten,
    IReadOnlyList<RegistryChange> Registry)
{
    public bool IsEmpty => Devices.Count == 0 && Alerts.Count == 0 && Incidents.Count == 0 && Forgotten.Count == 0 && Registry.Count == 0;
}

/// <summary>One node's receiving end of the feed, as the registry hands it out.</summary>
[GenerateSerializer, Immutable, Alias("live-feed-node")]
public sealed record LiveFeedMember(string Node, ILiveFeedObserver Observer);

/// <summary>The registry's answer to a node that registers.</summary>
/// <param name="Members">Every member, the node that registered included.</param>
/// <param name="Joined">
/// The node was not a member before this call: it is new, or it had been dropped (renewals missed, a call to it failed)
/// and nothing was sent to it meanwhile.
/// </param>
[GenerateSerializer, Immutable, Alias("live-feed-membership")]
public sealed record LiveFeedMembership(IReadOnlyList<LiveFeedMember> Members, bool Joined);

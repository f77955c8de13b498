namespace CommandCenter.Grains.Live;

/// <summary>A node's receiving end of the cluster-wide feed: one per node, applied to that node's live board.</summary>
public interface ILiveFeedObserver : IGrainObserver
{
    Task Apply(LiveFeedBatch batch);

    /// <summary>The registry's members changed: the node sends its next batches to these.</summary>
    Task Members(IReadOnlyList<LiveFeedMember> members);
}

/// <summary>
/// Which nodes receive the feed (one activation in the cluster). A node registers its observer when it starts and
/// again every <c>LiveFeed:RenewInterval</c>; one not heard for three intervals, one whose observer
/// failed a call, or one that unregistered on shutdown drops out.
/// </summary>
public interface ILiveFeedRegistry : IGrainWithIntegerKey
{
    /// <returns>Every member, this node included, and whether this call took the node in (it was not a member).</returns>
    Task<LiveFeedMembership> Register(string node, ILiveFeedObserver observer);

    Task Unregister(string node);

    /// <summary>A call to the node's observer failed: it stops receiving until it registers again.</summary>
    Task Drop(string node);

    Task<IReadOnlyList<string>> Nodes();
}

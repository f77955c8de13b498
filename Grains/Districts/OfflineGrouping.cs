namespace CommandCenter.Grains.Districts;

/// <summary>What the district's grain does after a step of <see cref="OfflineGrouping"/>.</summary>
/// <param name="Raise">Devices that get an offline alert of their own.</param>
/// <param name="Clear">Devices whose own offline alert is cleared: back online, or taken into the group.</param>
/// <param name="GroupChanged">The grouped alert is raised, updated (members came or went) or, with no members left, cleared.</param>
public sealed record OfflineActions(IReadOnlyList<OfflineChange> Raise, IReadOnlyList<string> Clear, bool GroupChanged)
{
    public bool IsEmpty => Raise.Count == 0 && Clear.Count == 0 && !GroupChanged;
}

/// <summary>
/// The flood-control rule of one district. A device that goes offline waits up to <c>window</c>: if by then more than
/// <c>groupAbove</c> devices of the district are offline (waiting, or alerted one by one), they all go into one grouped
/// alert and the single alerts are cleared into it; otherwise each waiting device gets its own alert, as in a quiet
/// district. While the group is open, further devices join it at once. A device that comes back leaves the group; the
/// grouped alert clears when the last member is back (it shrinks, it does not split into single alerts again).
/// </summary>
public sealed class OfflineGrouping(int groupAbove, TimeSpan window)
{
    private readonly Dictionary<string, OfflineChange> _waiting = [];
    private readonly Dictionary<string, OfflineChange> _single = [];
    private readonly SortedSet<string> _grouped = new(StringComparer.Ordinal);
    private DateTimeOffset? _windowOpened;
    private bool _groupChanged;
    private readonly List<string> _toClear = [];
    // Devices heard back before the district was told they were offline (a restart racing a device's first message):
    // what storage says about them afterwards is older and must not make them offline again.
    private readonly Dictionary<string, DateTimeOffset> _backBeforeRestored = [];

    public IReadOnlyCollection<string> Grouped => _grouped;
    public IReadOnlyCollection<string> Single => _single.Keys;
    public int Waiting => _waiting.Count;
    public bool IsIdle => _backBeforeRestored.Count == 0 && _waiting.Count == 0 && _single.Count == 0 && _grouped.Count == 0 && !_groupChanged && _toClear.Count == 0;

    public void Apply(OfflineChange change, DateTimeOffset now)
    {
        if (change.Restored) Restore(change, now);
        else if (change.Offline) GoneOffline(change, now);
        else Back(change);
    }

    /// <summary>
    /// The district's grouped alert was open when the host stopped: devices restored offline rejoin it. Otherwise a
    /// restored device goes through the window again, which re-raises its own alert (a repeat of the open one) or,
    /// with many, groups them.
    /// </summary>
    public bool GroupOpen { get; set; }

    private void Restore(OfflineChange change, DateTimeOffset now)
    {
        if (_backBeforeRestored.Remove(change.DeviceId, out var back) && back >= change.At) return;
        if (GroupOpen && !_grouped.Contains(change.DeviceId))
        {
            _grouped.Add(change.DeviceId);
            _groupChanged = true;
            return;
        }
        GoneOffline(change, now);
    }

    private void GoneOffline(OfflineChange change, DateTimeOffset now)
    {
        var id = change.DeviceId;
        if (_grouped.Contains(id) || _single.ContainsKey(id) || _waiting.ContainsKey(id)) return;
        if (_grouped.Count > 0)
        {
            _grouped.Add(id);
            _groupChanged = true;
            return;
        }
        _waiting[id] = change;
        _windowOpened ??= now;
    }

    private void Back(OfflineChange change)
    {
        var id = change.DeviceId;
        if (_waiting.Remove(id, out var waited))
        {
            // Restored after a restart, it may still have its own alert from before.
            if (waited.Restored) _toClear.Add(id);
            if (_waiting.Count == 0) _windowOpened = null;
        }
        else if (_grouped.Remove(id)) _groupChanged = true;
        else if (_single.Remove(id)) _toClear.Add(id);
        else
        {
            // Not known here: the district restarted and has not been told yet. Its own alert, if any, is cleared.
            _backBeforeRestored[id] = change.At;
            _toClear.Add(id);
        }
    }

    /// <summary>Closes the window once it has lasted long enough and hands out what changed since the last step.</summary>
    public OfflineActions Step(DateTimeOffset now)
    {
        var raise = new List<OfflineChange>();
        if (_windowOpened is { } opened && now - opened >= window)
        {
            if (_waiting.Count + _single.Count > groupAbove)
            {
                foreach (var id in _waiting.Keys) _grouped.Add(id);
                foreach (var id in _single.Keys)
                {
                    _grouped.Add(id);
                    _toClear.Add(id);
                }
                _single.Clear();
                _groupChanged = true;
            }
            else
            {
                foreach (var (id, change) in _waiting)
                {
                    _single[id] = change;
                    raise.Add(change);
                }
            }
            _waiting.Clear();
            _windowOpened = null;
        }
        var actions = new OfflineActions(raise, [.. _toClear], _groupChanged);
        _toClear.Clear();
        _groupChanged = false;
        return actions;
    }
}

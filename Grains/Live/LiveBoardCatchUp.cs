using System.Collections.Concurrent;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Live;

/// <summary>
/// Taking the stored picture again when this node comes back into the live feed after being out of it
/// (<see cref="BoardCatchUp"/>). Storage is read while the feed goes on applying batches, so a stored copy is taken
/// only where it cannot overtake something newer: never for what the feed changed since the catch-up began, and not
/// where the board's own copy is later than the stored one (readings and repeated alerts are saved periodically, not
/// on every change, so storage may be behind what the board heard before the node dropped out).
/// </summary>
public sealed partial class LiveBoard
{
    // Set while a catch-up reads storage; the feed's writes mark what they change in it.
    private volatile ChangedSince? _catchUp;

    /// <summary>What the feed changed on the board since a catch-up began: device keys, alert ids, incident ids.</summary>
    private sealed class ChangedSince
    {
        public readonly ConcurrentDictionary<string, bool> Devices = new();
        public readonly ConcurrentDictionary<string, bool> Alerts = new();
        public readonly ConcurrentDictionary<string, bool> Incidents = new();
    }

    /// <summary>
    /// Starts noting what the feed changes, before storage is read; disposing ends the catch-up. One at a time.
    /// </summary>
    public IDisposable BeginCatchUp()
    {
        if (_catchUp is not null) throw new InvalidOperationException("A catch-up is already running on this board.");
        _catchUp = new ChangedSince();
        return new CatchUpEnd(this);
    }

    private sealed class CatchUpEnd(LiveBoard board) : IDisposable
    {
        public void Dispose() => board._catchUp = null;
    }

    private ChangedSince Running => _catchUp ?? throw new InvalidOperationException("No catch-up is running: call BeginCatchUp first.");

    /// <summary>A device as stored: taken when the board lacks it or shows an earlier state of it.</summary>
    /// <returns>Whether the board changed.</returns>
    public bool CatchUp(DeviceSnapshot stored)
    {
        var changed = Running;
        lock (_counting)
        {
            // Checked under the lock: a publish marks before it takes the lock, so it either is seen here or writes after us.
            if (changed.Devices.ContainsKey(stored.Key)) return false;
            if (_devices.TryGetValue(stored.Key, out var current))
            {
                if (HeardAt(current) > HeardAt(stored) || Shows(current, stored)) return false;
                Tally(current, -1);
            }
            _devices[stored.Key] = stored;
            Tally(stored, +1);
        }
        _changedDevices[stored.Key] = true;
        return true;
    }

    /// <summary>A device on the board that storage no longer holds (retired while this node was out): dropped.</summary>
    /// <returns>Whether the board changed.</returns>
    public bool CatchUpGone(DeviceKind kind, string id)
    {
        var changed = Running;
        var key = KeyOf(kind, id);
        lock (_counting)
        {
            if (changed.Devices.ContainsKey(key) || !_devices.TryRemove(key, out var old)) return false;
            Tally(old, -1);
        }
        _changedDevices.TryRemove(key, out _);
        _forgotten[key] = true;
        return true;
    }

    /// <summary>An alert as stored: taken when the board lacks it or holds an earlier state of it.</summary>
    /// <returns>Whether the board changed.</returns>
    public bool CatchUp(Alert stored)
    {
        var changed = Running;
        if (changed.Alerts.ContainsKey(stored.Id)) return false;
        // Replaced only if still the value compared: a failed swap means the feed wrote it meanwhile, which is newer.
        var taken = _alerts.TryGetValue(stored.Id, out var current)
            ? IsLater(stored, current) && _alerts.TryUpdate(stored.Id, stored, current)
            : _alerts.TryAdd(stored.Id, stored);
        if (!taken) return false;
        _changedAlerts[stored.Id] = true;
        WakeForAlert();
        return true;
    }

    /// <summary>An incident as stored: taken when the board holds an earlier state of it, or lacks it and it is open.</summary>
    /// <returns>Whether the board changed.</returns>
    public bool CatchUp(Dispatch.Incident stored)
    {
        var changed = Running;
        if (changed.Incidents.ContainsKey(stored.Id)) return false;
        var taken = _incidents.TryGetValue(stored.Id, out var current)
            ? IsLater(stored, current) && _incidents.TryUpdate(stored.Id, stored, current)
            : stored.IsOpen && _incidents.TryAdd(stored.Id, stored);
        if (!taken) return false;
        _changedIncidents[stored.Id] = true;
        return true;
    }

    private static DateTimeOffset HeardAt(DeviceSnapshot device) => device.LastSeen ?? DateTimeOffset.MinValue;

    /// <summary>Nothing a screen shows of the device differs (averages and air quality follow the readings).</summary>
    private static bool Shows(DeviceSnapshot board, DeviceSnapshot stored) =>
        board.Online == stored.Online && board.LastSeen == stored.LastSeen && board.LastReport == stored.LastReport
        && board.Position == stored.Position && board.Battery == stored.Battery && board.View == stored.View
        && board.StreamOnline == stored.StreamOnline && board.Unit == stored.Unit
        && board.ExceededPollutants.SequenceEqual(stored.ExceededPollutants)
        && board.Readings.Count == stored.Readings.Count
        && board.Readings.All(reading => stored.Readings.TryGetValue(reading.Key, out var value) && value.Equals(reading.Value));

    /// <summary>An alert only moves forward: unacknowledged, acknowledged, cleared; within a state, occurrences only grow.</summary>
    private static bool IsLater(Alert stored, Alert board) =>
        ((int)stored.State, stored.Occurrences).CompareTo(((int)board.State, board.Occurrences)) > 0;

    /// <summary>Every change of an incident adds to its timeline; closing is its last.</summary>
    private static bool IsLater(Dispatch.Incident stored, Dispatch.Incident board) =>
        (!stored.IsOpen, stored.Timeline.Count).CompareTo((!board.IsOpen, board.Timeline.Count)) > 0;
}

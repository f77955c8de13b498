namespace CommandCenter.Grains.Devices;

/// <summary>
/// Where the cluster looks for silent devices: one activation (key 0), so one sweep per interval however many nodes
/// there are. Every node starts it when it starts; a reminder brings it back when the node it ran on dies.
/// </summary>
public interface IDeviceWatchGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the reminder is set and sweeping runs; calling it again changes nothing.</summary>
    Task Start();

    /// <summary>The node the sweeps run on (its silo address).</summary>
    Task<string> Node();
}

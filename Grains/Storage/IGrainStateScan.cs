namespace CommandCenter.Grains.Storage;

/// <summary>
/// Reads every stored state of one grain type without activating the grains, e.g. all sensors ever seen, to fill the
/// live board at start-up. Each grain storage provider answers it from where it keeps the states.
/// </summary>
public interface IGrainStateScan
{
    /// <param name="grainType">The grain type as in the grain's id, e.g. "sensor".</param>
    /// <param name="stateName">The name the grain gives its persistent state.</param>
    IEnumerable<(string Key, T State)> StatesOf<T>(string grainType, string stateName);
}

namespace CommandCenter.Grains.Storage;

public static class StorageNames
{
    /// <summary>The grain storage provider every grain with persistent state uses.</summary>
    public const string State = "state";
}

namespace CommandCenter.Grains.Live;

public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>Device changes are gathered and pushed to screens at most this often; alerts go at once.</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

namespace CommandCenter.Simulators.Registration;

/// <summary>Where the simulators register their cameras (stream URL, position, view), as a city's CCTV list would be.</summary>
public sealed class CommandCenterOptions
{
    /// <summary>The command center's HTTP address; empty registers nothing.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5080";
    public string ApiKey { get; set; } = "change-me-wall-screen-key";
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>
/// Bounds on what failed device sign-ins (MQTT CONNECT, HJ 212 PW) may cost: each secret that is not already known
/// to be right or wrong costs a PBKDF2 run, about 0.05–0.1 s of a core.
/// </summary>
public sealed class DeviceSignInOptions
{
    public const string Section = "DeviceSignIn";

    /// <summary>
    /// Failed sign-ins one client address (IPv4, or IPv6 /64) may have within <see cref="Window"/> (default 10); after
    /// that its sign-ins are refused without checking the secret until the window ends. A device whose secret was
    /// already checked right still gets in.
    /// </summary>
    public int FailuresPerAddress { get; set; } = 10;

    /// <summary>
    /// Failed sign-ins one device id may have within <see cref="Window"/> from all addresses together (default 50),
    /// against guessing spread over many addresses. The device itself gets in if its secret was checked right since
    /// it was registered or the command center started.
    /// </summary>
    public int FailuresPerDevice { get; set; } = 50;

    /// <summary>How long failures count (default 10 minutes), from the first failure of the window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Secret checks running at once (default 0: half the processors, at least one), so failed sign-ins never take every core.</summary>
    public int MaxConcurrentChecks { get; set; }

    /// <summary>Sign-ins waiting for a secret check (default 200); more are refused at once as busy and may try again.</summary>
    public int MaxQueuedChecks { get; set; } = 200;

    public int ConcurrentChecks => MaxConcurrentChecks > 0 ? MaxConcurrentChecks : Math.Max(1, Environment.ProcessorCount / 2);
}

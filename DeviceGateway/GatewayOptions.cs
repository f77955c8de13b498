namespace CommandCenter.DeviceGateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public TimeSpan RejectLogInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>After the first delivery failure, one in this many is logged.</summary>
    public int FailureLogEvery { get; set; } = 1000;
    /// <summary>
    /// Largest MQTT packet a device may send, in bytes (default 65536). Device messages are small
    /// JSON (a sensor with every code it knows and an event with 500 characters of text stay under
    /// 4 KB), so 64 KB leaves room while a larger packet is refused before it is read into memory.
    /// </summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;
    /// <summary>Most pollutant codes in one message (default 64); a message with more is rejected whole.</summary>
    public int MaxValuesPerMessage { get; set; } = 64;
    /// <summary>A device clock this far ahead of the server's is wrong: its messages are rejected (default 5 minutes).</summary>
    public TimeSpan MaxClockAhead { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>
    /// Messages measured longer ago than this are rejected (default 1 day): a device may replay what
    /// it buffered while its network was down for up to a day; older data is history to import, not live state.
    /// </summary>
    public TimeSpan MaxClockBehind { get; set; } = TimeSpan.FromDays(1);
}

public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>Run the MQTT broker inside this process (the default for one machine).</summary>
    public bool EmbeddedBroker { get; set; } = true;
    /// <summary>
    /// The one address the broker listens on (default 127.0.0.1): an IPv4 address listens on IPv4 only,
    /// an IPv6 address on IPv6 only; <c>0.0.0.0</c> is every IPv4 interface, <c>::</c> every IPv6
    /// interface (IPv6 only, not dual-stack). Devices on the network need the listening address here,
    /// which the host allows only once the shipped passwords and API keys are changed.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    /// <summary>A second listener speaking MQTT over TLS on this port (usually 8883); unset (the default) runs none.</summary>
    public int? TlsPort { get; set; }
    /// <summary>The TLS listener's certificate: a PEM file (with <see cref="TlsKey"/>) or a PKCS#12 file (.pfx/.p12).</summary>
    public string TlsCertificate { get; set; } = "";
    /// <summary>The PEM private key of <see cref="TlsCertificate"/>; empty when the key is in the certificate file.</summary>
    public string TlsKey { get; set; } = "";
    /// <summary>Password of a PKCS#12 <see cref="TlsCertificate"/>, if it has one.</summary>
    public string TlsCertificatePassword { get; set; } = "";
    /// <summary>Messages a slow subscriber may have queued before the oldest are dropped.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 10_000;
    /// <summary>Bytes of payload a slow subscriber may have queued before new messages for it are dropped (default 4 MB).</summary>
    public long MaxPendingBytesPerClient { get; set; } = 4 * 1024 * 1024;
    /// <summary>
    /// Longest a session is kept after its connection ends (default 1 hour): an MQTT 3.1.1 client with clean
    /// session off gets this, an MQTT 5 client its own session expiry up to this. Its subscriptions and the
    /// QoS 1/2 messages for it wait that long; sessions live in memory, so a restart of the broker ends them all.
    /// </summary>
    public TimeSpan MaxSessionExpiry { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Most sessions kept for clients that are not connected (default 10000); beyond it the longest-disconnected goes. 0 keeps none.</summary>
    public int MaxKeptSessions { get; set; } = 10_000;
    /// <summary>
    /// Let clients connect without credentials and publish or subscribe anywhere (default false). Only for a
    /// lab: anyone on the network could then speak for any device; a warning is logged at start-up.
    /// </summary>
    public bool AllowAnonymous { get; set; }
    /// <summary>
    /// Trusted clients by user name → password (default none): bridges and load generators that publish for
    /// many devices over one connection. They may publish and subscribe anywhere under <c>cc/</c>, so keep them
    /// few and their passwords long; a name here must not also be a device id.
    /// </summary>
    public Dictionary<string, string> GatewayUsers { get; set; } = [];
}

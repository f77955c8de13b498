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

    /// <summary>
    /// Run the MQTT broker inside this process (the default for one machine). When false the gateway is an MQTT 5
    /// client of the broker at <see cref="Host"/>:<see cref="Port"/> (mosquitto, EMQX …), which then authenticates
    /// devices and applies their ACL itself.
    /// </summary>
    public bool EmbeddedBroker { get; set; } = true;
    /// <summary>The external broker's host name or address (default 127.0.0.1); used only when <see cref="EmbeddedBroker"/> is false.</summary>
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>The gateway's user name at the external broker (default none); it must read and write <c>cc/#</c> there.</summary>
    public string UserName { get; set; } = "";
    /// <summary>The password of <see cref="UserName"/> at the external broker.</summary>
    public string Password { get; set; } = "";
    /// <summary>
    /// This gateway's MQTT client id at the external broker (default <c>cc-gateway-{machine name}</c>). It names
    /// the broker-side session that holds the messages given to this gateway while it is away, so it must stay
    /// the same across restarts and differ between gateways.
    /// </summary>
    public string ClientId { get; set; } = "";
    /// <summary>The shared-subscription group of the gateways (default <c>cc</c>): gateways in one group share the device traffic, each message going to one of them.</summary>
    public string SharedGroup { get; set; } = "cc";
    /// <summary>
    /// How long the external broker keeps this gateway's session, with the messages given to it, while the gateway
    /// is away (default 1 day). A gateway back within this time receives them; after it, they are gone.
    /// </summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);
    /// <summary>Speak TLS to the external broker (default false); its certificate must be trusted by this machine.</summary>
    public bool BrokerTls { get; set; }
    /// <summary>First wait before connecting again to a lost external broker (default 1 s); doubled on each failure up to <see cref="ReconnectBackoffMax"/>.</summary>
    public TimeSpan ReconnectBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest wait between attempts to reach the external broker (default 30 s).</summary>
    public TimeSpan ReconnectBackoffMax { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// The one address the broker listens on (default 127.0.0.1): an IPv4 address listens on IPv4 only,
    /// an IPv6 address on IPv6 only; <c>0.0.0.0</c> is every IPv4 interface, <c>::</c> every IPv6
    /// interface (IPv6 only, not dual-stack). Devices on the network need the listening address here,
    /// which the host allows only once the shipped passwords and API keys are changed.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";
    /// <summary>The port the embedded broker listens on, or the external broker's port (default 1883).</summary>
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

    /// <summary>The client id used at the external broker: <see cref="ClientId"/>, or one named after this machine.</summary>
    public string EffectiveClientId => ClientId.Length > 0 ? ClientId : $"cc-gateway-{Environment.MachineName}";
}

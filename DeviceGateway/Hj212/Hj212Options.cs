namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>The TCP listener for monitors speaking HJ 212-2017 (docs/device-contract.md, "HJ 212 monitors").</summary>
public sealed class Hj212Options
{
    public const string Section = "Hj212";

    /// <summary>TCP port to listen on; unset or 0 (the default) runs no listener.</summary>
    public int? Port { get; set; }
    /// <summary>The one address to listen on (default 127.0.0.1); monitors on the network need the listening address here.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";
    /// <summary>A connection silent this long is closed (default 5 minutes): a monitor reports every minute or so, a dead peer holds a socket.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Largest data segment accepted, in bytes (default 1024, the standard's maximum); a longer frame is refused unread.</summary>
    public int MaxDataLength { get; set; } = Hj212Frame.StandardMaxDataLength;
    /// <summary>The zone DataTime and QN are read in (default Asia/Shanghai): the standard's times are local time without an offset.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
    /// <summary>Split packets (PNUM &gt; 1) a connection may have half-received at once (default 8); one more drops the oldest.</summary>
    public int MaxPendingSplits { get; set; } = 8;
    /// <summary>A split packet not complete this long after its first part is dropped (default 1 minute).</summary>
    public TimeSpan SplitTimeout { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Most parts a split packet may announce (default 16): bounds what one QN may hold.</summary>
    public int MaxSplitParts { get; set; } = 16;
    /// <summary>Connections open at once (default 1000); more are closed on accept.</summary>
    public int MaxConnections { get; set; } = 1000;
}

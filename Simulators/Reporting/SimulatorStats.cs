namespace CommandCenter.Simulators.Reporting;

/// <summary>Counters shared by the connections (which write them) and the summary (which reads them).</summary>
public sealed class SimulatorStats(TimeProvider time)
{
    long sent;
    long acked;
    long refused;
    long unsent;
    long reconnects;
    long firstConnectedAt;

    /// <summary>Messages delivered: QoS 0 written to the socket, QoS 1 acknowledged, HJ 212 frames written.</summary>
    public long Sent => Interlocked.Read(ref sent);
    /// <summary>Of <see cref="Sent"/>, the QoS 1 publishes the gateway acknowledged (PUBACK with success).</summary>
    public long Acked => Interlocked.Read(ref acked);
    /// <summary>Publishes the gateway answered with an error reason (not authorised, topic refused, quota).</summary>
    public long Refused => Interlocked.Read(ref refused);
    /// <summary>Messages never delivered: the connection was down or dropped while sending.</summary>
    public long Unsent => Interlocked.Read(ref unsent);
    /// <summary>Connections made again after one was lost or failed (the first connection of each is not counted).</summary>
    public long Reconnects => Interlocked.Read(ref reconnects);
    /// <summary>Refused and unsent together: what the load mode's result line reports as failed.</summary>
    public long Failed => Refused + Unsent;

    /// <summary>When the first connection came up (a timestamp), or null; rates are measured from there.</summary>
    public long? FirstConnectedAt
    {
        get
        {
            var at = Interlocked.Read(ref firstConnectedAt);
            return at == 0 ? null : at;
        }
    }

    public void RecordSent(bool acknowledged = false)
    {
        Interlocked.Increment(ref sent);
        if (acknowledged) Interlocked.Increment(ref acked);
    }

    public void RecordRefused() => Interlocked.Increment(ref refused);
    public void RecordUnsent() => Interlocked.Increment(ref unsent);

    public void RecordConnected(bool again = false)
    {
        Interlocked.CompareExchange(ref firstConnectedAt, time.GetTimestamp(), 0);
        if (again) Interlocked.Increment(ref reconnects);
    }
}

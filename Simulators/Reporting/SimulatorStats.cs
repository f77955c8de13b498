namespace CommandCenter.Simulators.Reporting;

/// <summary>Counters shared by the connections (which write them) and the summary (which reads them).</summary>
public sealed class SimulatorStats(TimeProvider time)
{
    long sent;
    long failed;
    long firstConnectedAt;

    public long Sent => Interlocked.Read(ref sent);
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>When the first connection came up (a timestamp), or null; rates are measured from there.</summary>
    public long? FirstConnectedAt
    {
        get
        {
            var at = Interlocked.Read(ref firstConnectedAt);
            return at == 0 ? null : at;
        }
    }

    public void RecordSent() => Interlocked.Increment(ref sent);
    public void RecordFailed() => Interlocked.Increment(ref failed);
    public void RecordConnected() => Interlocked.CompareExchange(ref firstConnectedAt, time.GetTimestamp(), 0);
}

namespace CommandCenter.VideoRelay.Streams;

/// <summary>Exponential back-off between restarts of a lost stream: initial, doubled each time, capped.</summary>
internal sealed class RestartBackoff(TimeSpan initial, TimeSpan max)
{
    private int _failures;

    public TimeSpan Next()
    {
        var factor = Math.Pow(2, Math.Min(_failures++, 30));
        return TimeSpan.FromTicks((long)Math.Min(max.Ticks, initial.Ticks * factor));
    }

    public void Reset() => _failures = 0;
}

namespace CommandCenter.VideoRelay.Streams;

/// <summary>
/// Why a run of a stream was lost: <see cref="Category"/> is one of a few fixed words that may go anywhere
/// (health reports, alert titles); <see cref="Detail"/> carries ffmpeg's words (redacted) for the log and admins.
/// </summary>
internal sealed record StreamLoss(string Category, string Detail)
{
    /// <summary>The camera gave no pictures: refused, unreachable, wrong address or credentials.</summary>
    public const string Unavailable = "stream unavailable";
    /// <summary>Pictures came, then stopped coming.</summary>
    public const string Stalled = "stalled";
    /// <summary>The camera ended a stream that was running.</summary>
    public const string Ended = "ended";
}

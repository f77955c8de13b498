namespace CommandCenter.Web.Dispatch;

public sealed class IncidentBoardOptions
{
    public const string Section = "IncidentBoard";

    /// <summary>
    /// A unit that accepted its task is expected on scene this long after it was dispatched (default 15 min); later,
    /// the board marks it overdue. (Not acknowledged within Dispatch:AckTimeout is overdue too.)
    /// </summary>
    public TimeSpan OnSceneWithin { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsValid() => OnSceneWithin > TimeSpan.Zero;
}

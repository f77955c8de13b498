using CommandCenter.Grains.Dispatch;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Dispatch;

/// <summary>
/// When a unit's step is overdue on the incident board: dispatched but not acknowledged within Dispatch:AckTimeout
/// (or flagged unanswered after every send), or accepted but not on scene IncidentBoard:OnSceneWithin after it was
/// dispatched. On scene, returning and finished units are never overdue.
/// </summary>
public sealed class UnitDeadlines(IOptions<DispatchOptions> dispatch, IOptions<IncidentBoardOptions> board, BoardLabels labels)
{
    /// <summary>Why the unit is overdue at <paramref name="now"/>, or null when it is not.</summary>
    public string? Overdue(IncidentUnit unit, DateTimeOffset now) => unit.Status switch
    {
        UnitStatus.Dispatched when unit.NoAnswer => labels.NoAnswer,
        UnitStatus.Dispatched when now - unit.Since > dispatch.Value.AckTimeout => labels.NotAcknowledgedWithin(dispatch.Value.AckTimeout),
        UnitStatus.Acknowledged or UnitStatus.EnRoute when now - unit.DispatchedAt > board.Value.OnSceneWithin =>
            labels.NotOnSceneWithin(board.Value.OnSceneWithin),
        _ => null,
    };
}

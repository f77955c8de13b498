using CommandCenter.Grains.Dispatch;
using CommandCenter.Web.Dispatch;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Tests;

/// <summary>The incident board's overdue rule, at its edges.</summary>
public sealed class UnitDeadlinesTests
{
    private static readonly DateTimeOffset Dispatched = new(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly UnitDeadlines _deadlines = new(
        Options.Create(new DispatchOptions { AckTimeout = TimeSpan.FromSeconds(60) }),
        Options.Create(new IncidentBoardOptions { OnSceneWithin = TimeSpan.FromMinutes(15) }),
        new BoardLabels(Localizers.Of<BoardLabels>(), Localizers.Labels()));

    private static IncidentUnit Unit(UnitStatus status, DateTimeOffset since, bool noAnswer = false) =>
        new("hh-0001", "Zhang Wei", status, since, "t-1", Dispatched, noAnswer);

    [Fact]
    public void A_dispatched_unit_is_overdue_once_the_acknowledgement_wait_has_passed_or_it_is_flagged_unanswered()
    {
        using var english = Localizers.Culture("en");
        Assert.Null(_deadlines.Overdue(Unit(UnitStatus.Dispatched, Dispatched), Dispatched.AddSeconds(60)));
        Assert.Contains("not acknowledged within 60 s", _deadlines.Overdue(Unit(UnitStatus.Dispatched, Dispatched), Dispatched.AddSeconds(61)));
        Assert.Contains("no answer", _deadlines.Overdue(Unit(UnitStatus.Dispatched, Dispatched, noAnswer: true), Dispatched.AddSeconds(1)));
    }

    [Fact]
    public void A_unit_on_its_way_is_overdue_when_not_on_scene_in_time_counted_from_its_dispatch()
    {
        using var english = Localizers.Culture("en");
        var accepted = Dispatched.AddMinutes(14);
        Assert.Null(_deadlines.Overdue(Unit(UnitStatus.Acknowledged, accepted), Dispatched.AddMinutes(15)));
        Assert.Contains("not on scene 15 min after dispatch", _deadlines.Overdue(Unit(UnitStatus.EnRoute, accepted), Dispatched.AddMinutes(15).AddSeconds(1)));
        foreach (var done in (UnitStatus[])[UnitStatus.OnScene, UnitStatus.Returning, UnitStatus.Available, UnitStatus.Unavailable])
            Assert.Null(_deadlines.Overdue(Unit(done, Dispatched), Dispatched.AddHours(5)));
    }

    [Fact]
    public void The_reason_reads_in_chinese_by_default()
    {
        using var chinese = Localizers.Culture("zh-CN");
        Assert.Equal("超时未确认（60 s 内）", _deadlines.Overdue(Unit(UnitStatus.Dispatched, Dispatched), Dispatched.AddSeconds(61)));
    }
}

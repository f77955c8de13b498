using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Districts;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Grains.Tests;

/// <summary>The flood-control rule of one district, on a clock the test moves.</summary>
public sealed class OfflineGroupingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private readonly OfflineGrouping _rule = new(groupAbove: 10, Window);

    private void Offline(params IEnumerable<string> ids)
    {
        foreach (var id in ids) _rule.Apply(new OfflineChange(id, true, _clock.GetUtcNow(), new GeoPoint(36.545, 104.138)), _clock.GetUtcNow());
    }

    private void Back(params IEnumerable<string> ids)
    {
        foreach (var id in ids) _rule.Apply(new OfflineChange(id, false, _clock.GetUtcNow()), _clock.GetUtcNow());
    }

    private static IEnumerable<string> Devices(int from, int count) => Enumerable.Range(from, count).Select(i => $"d{i:000}");

    [Fact]
    public void A_single_device_in_a_quiet_district_gets_its_own_alert_once_the_window_closes()
    {
        Offline("d001");
        Assert.True(_rule.Step(_clock.GetUtcNow()).IsEmpty);
        _clock.Advance(Window);
        var actions = _rule.Step(_clock.GetUtcNow());
        Assert.Equal(["d001"], actions.Raise.Select(c => c.DeviceId));
        Assert.False(actions.GroupChanged);

        Back("d001");
        Assert.Equal(["d001"], _rule.Step(_clock.GetUtcNow()).Clear);
        Assert.True(_rule.IsIdle);
    }

    [Fact]
    public void More_than_the_threshold_within_the_window_share_one_group_and_no_one_gets_an_alert_of_its_own()
    {
        Offline(Devices(0, 6));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Offline(Devices(6, 24));
        _clock.Advance(TimeSpan.FromSeconds(5));
        var actions = _rule.Step(_clock.GetUtcNow());
        Assert.Empty(actions.Raise);
        Assert.True(actions.GroupChanged);
        Assert.Equal(30, _rule.Grouped.Count);

        // Late members join the open group at once.
        Offline("late");
        Assert.True(_rule.Step(_clock.GetUtcNow()).GroupChanged);
        Assert.Equal(31, _rule.Grouped.Count);

        Back(Devices(0, 30));
        Assert.True(_rule.Step(_clock.GetUtcNow()).GroupChanged);
        Assert.Equal(["late"], _rule.Grouped);
        Back("late");
        Assert.True(_rule.Step(_clock.GetUtcNow()).GroupChanged);
        Assert.Empty(_rule.Grouped);
        Assert.True(_rule.IsIdle);
    }

    [Fact]
    public void Exactly_the_threshold_is_still_alerted_one_by_one()
    {
        Offline(Devices(0, 10));
        _clock.Advance(Window);
        var actions = _rule.Step(_clock.GetUtcNow());
        Assert.Equal(10, actions.Raise.Count);
        Assert.False(actions.GroupChanged);
    }

    [Fact]
    public void Devices_alerted_one_by_one_are_taken_into_the_group_when_the_district_goes_dark_after_them()
    {
        Offline(Devices(0, 3));
        _clock.Advance(Window);
        Assert.Equal(3, _rule.Step(_clock.GetUtcNow()).Raise.Count);

        Offline(Devices(3, 8));
        _clock.Advance(Window);
        var actions = _rule.Step(_clock.GetUtcNow());
        Assert.Empty(actions.Raise);
        Assert.Equal(Devices(0, 3), actions.Clear);
        Assert.True(actions.GroupChanged);
        Assert.Equal(11, _rule.Grouped.Count);
        Assert.Empty(_rule.Single);
    }

    [Fact]
    public void A_device_back_within_the_window_is_never_alerted_and_a_repeated_notice_counts_once()
    {
        Offline("d001", "d002");
        Offline("d001");
        Back("d002");
        _clock.Advance(Window);
        Assert.Equal(["d001"], _rule.Step(_clock.GetUtcNow()).Raise.Select(c => c.DeviceId));
    }
}

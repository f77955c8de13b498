using CommandCenter.DeviceGateway.Mqtt;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class KeptSessionsTests
{
    private static readonly DeviceIdentity Handheld = new(DeviceKind.Handheld, "hh-1");
    private static readonly DeviceIdentity Other = new(DeviceKind.Handheld, "hh-2");

    [Fact]
    public void A_disconnected_session_expires_after_its_expiry_and_not_before()
    {
        var time = new FakeTimeProvider();
        var sessions = new KeptSessions(10, time);
        sessions.Connected("c1", Handheld, TimeSpan.FromMinutes(5));
        time.Advance(TimeSpan.FromHours(1)); // connected time does not count
        Assert.Empty(sessions.Disconnected("c1"));

        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.False(sessions.HasExpired("c1"));
        Assert.Empty(sessions.TakeExpired());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(sessions.HasExpired("c1"));
        Assert.Equal(["c1"], sessions.TakeExpired());
        Assert.Equal(0, sessions.Count);
        Assert.Empty(sessions.TakeExpired());
    }

    [Fact]
    public void A_session_that_ends_with_its_connection_is_not_counted_as_kept()
    {
        var sessions = new KeptSessions(0, new FakeTimeProvider());
        sessions.Connected("clean", Handheld, expiry: null);
        Assert.Empty(sessions.Disconnected("clean"));
        Assert.Equal(0, sessions.Count);
    }

    [Fact]
    public void Beyond_the_bound_the_longest_disconnected_session_goes()
    {
        var time = new FakeTimeProvider();
        var sessions = new KeptSessions(2, time);
        foreach (var id in (string[])["a", "b", "c"]) sessions.Connected(id, Handheld, TimeSpan.FromHours(1));
        Assert.Empty(sessions.Disconnected("b"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(sessions.Disconnected("a"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["b"], sessions.Disconnected("c"));
        Assert.Equal(2, sessions.Count);
        // Reconnecting takes a session out of the kept ones.
        sessions.Connected("a", Handheld, TimeSpan.FromHours(1));
        Assert.Equal(1, sessions.Count);
    }

    [Fact]
    public void A_session_belongs_to_the_identity_that_made_it()
    {
        var sessions = new KeptSessions(10, new FakeTimeProvider());
        sessions.Connected("c1", Handheld, TimeSpan.FromHours(1));
        Assert.False(sessions.BelongsToOther("c1", new DeviceIdentity(DeviceKind.Handheld, "hh-1")));
        Assert.True(sessions.BelongsToOther("c1", Other));
        Assert.True(sessions.BelongsToOther("c1", null));
        Assert.False(sessions.BelongsToOther("unknown", Other));
        sessions.Deleted("c1");
        Assert.False(sessions.BelongsToOther("c1", Other));
    }
}

using CommandCenter.DeviceGateway.Mqtt;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class ExactlyOnceTests
{
    [Fact]
    public void A_packet_id_is_new_once_until_released()
    {
        var exactlyOnce = new ExactlyOnce(16);
        Assert.True(exactlyOnce.Received("c", 7));
        Assert.False(exactlyOnce.Received("c", 7));
        Assert.True(exactlyOnce.Received("other", 7));
        exactlyOnce.Released("c", 7);
        Assert.True(exactlyOnce.Received("c", 7));
        exactlyOnce.Forget("c");
        Assert.Equal(0, exactlyOnce.AwaitingOf("c"));
        Assert.True(exactlyOnce.Received("c", 7));
    }

    [Fact]
    public void A_client_that_never_releases_holds_at_most_the_bound_and_the_oldest_are_forgotten()
    {
        var exactlyOnce = new ExactlyOnce(4);
        for (ushort id = 1; id <= 100; id++) Assert.True(exactlyOnce.Received("c", id));
        Assert.Equal(4, exactlyOnce.AwaitingOf("c"));
        Assert.False(exactlyOnce.Received("c", 100));
        Assert.True(exactlyOnce.Received("c", 1));
        // Released out of order, the rest still counts.
        exactlyOnce.Released("c", 98);
        Assert.Equal(3, exactlyOnce.AwaitingOf("c"));
        Assert.False(exactlyOnce.Received("c", 99));
    }
}

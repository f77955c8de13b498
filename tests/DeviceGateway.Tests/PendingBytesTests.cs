using CommandCenter.DeviceGateway.Mqtt;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class PendingBytesTests
{
    [Fact]
    public void A_subscriber_gets_no_more_queued_than_its_budget_until_messages_go_out()
    {
        var pending = new PendingBytes(budgetPerClient: 1000);
        Assert.True(pending.TryEnqueue("screen", 600));
        Assert.True(pending.TryEnqueue("screen", 400));
        Assert.False(pending.TryEnqueue("screen", 1));
        Assert.True(pending.TryEnqueue("other", 1000));

        pending.Dequeued("screen", 600);
        Assert.True(pending.TryEnqueue("screen", 500));
        Assert.False(pending.TryEnqueue("screen", 101));
    }

    [Fact]
    public void Messages_queued_around_the_budget_never_take_it_below_zero_and_a_gone_client_starts_afresh()
    {
        var pending = new PendingBytes(budgetPerClient: 100);
        Assert.True(pending.TryEnqueue("screen", 100));
        pending.Dequeued("screen", 5000);
        Assert.Equal(0, pending.Of("screen"));

        Assert.True(pending.TryEnqueue("screen", 100));
        pending.Forget("screen");
        Assert.True(pending.TryEnqueue("screen", 100));
    }
}

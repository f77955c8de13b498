using System.Text;
using CommandCenter.DeviceGateway.Commands;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.DeviceGateway.Tests;

/// <summary>When a dispatch task is sent again and when it is given up, on a clock the test moves.</summary>
public sealed class TaskTimingTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private readonly List<(string Topic, string Payload)> _sent = [];

    private DeviceCommands Commands()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var stats = new GatewayStats(Options.Create(new GatewayOptions()), NullLogger<GatewayStats>.Instance, meters);
        // Only acknowledgements reach grains; sending needs none.
        var commands = new DeviceCommands(Options.Create(new CommandOptions()), _clock, stats, null!, NullLogger<DeviceCommands>.Instance)
        {
            Publisher = (topic, payload) =>
            {
                lock (_sent) _sent.Add((topic, Encoding.UTF8.GetString(payload)));
                return Task.CompletedTask;
            },
        };
        return commands;
    }

    private int Sent { get { lock (_sent) return _sent.Count; } }

    /// <summary>Lets the sender's continuation run after the clock moved (timers fire on the thread pool).</summary>
    private static async Task Settle() => await Task.Delay(100);

    [Fact]
    public async Task A_task_is_sent_again_after_the_dispatch_ack_timeout_then_given_up_after_twice_that()
    {
        var options = new DispatchOptions();
        var sending = Commands().Send(DeviceKind.Handheld, "hh-0001", TaskDelivery.CommandType, new System.Text.Json.Nodes.JsonObject(),
            new CommandDelivery("t-1", options.AckTimeout, options.Attempts), CancellationToken.None);
        await Settle();
        Assert.Equal(1, Sent);

        _clock.Advance(options.AckTimeout - TimeSpan.FromSeconds(1));
        await Settle();
        Assert.Equal(1, Sent);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await Settle();
        Assert.Equal(2, Sent);
        Assert.All(_sent, s => Assert.Contains("\"cmdId\":\"t-1\"", s.Payload));
        Assert.All(_sent, s => Assert.Equal("cc/handheld/hh-0001/cmd", s.Topic));

        // The re-send waits twice as long before the task is reported unanswered.
        _clock.Advance(options.AckTimeout * 2 - TimeSpan.FromSeconds(1));
        await Settle();
        Assert.False(sending.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(outcome.Acknowledged);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(2, Sent);
    }
}

using System.Globalization;

namespace CommandCenter.Web.Tests;

/// <summary>Devices given several brokers move to the next node's broker when theirs dies, and go on sending.</summary>
[Collection(OwnHosts.Name)]
public sealed class BrokerFailoverTests
{
    [Fact]
    public async Task Simulated_devices_move_to_the_second_node_when_the_first_is_killed()
    {
        await using var a = new CommandCenterProcess();
        await using var b = new CommandCenterProcess();
        await Task.WhenAll(a.Start(), b.Start());

        using var simulators = SimulatorsProcess.Start(new Dictionary<string, string>
        {
            ["Simulator__Handhelds"] = "4", ["Simulator__Sensors"] = "0", ["Simulator__Cameras"] = "0",
            ["Simulator__DemoExceedance"] = "", ["Simulator__Load__MessagesPerSecond"] = "40",
            ["Simulator__RunDuration"] = "00:10:00", ["Simulator__CommandCenter__Url"] = "",
            ["Simulator__Mqtt__Port"] = a.MqttPort.ToString(CultureInfo.InvariantCulture),
            ["Simulator__Mqtt__Brokers"] = $"127.0.0.1:{b.MqttPort}",
            // QoS 1 throughout: those are the messages a move must not lose.
            ["Simulator__Mqtt__QualityOfService"] = "1",
            ["Simulator__Mqtt__ReconnectDelay"] = "00:00:00.200", ["Simulator__Mqtt__MaxReconnectDelay"] = "00:00:02",
            ["Simulator__Mqtt__UserName"] = CommandCenterProcess.GatewayUser, ["Simulator__Mqtt__Password"] = CommandCenterProcess.GatewayPassword,
            ["SimulatedCameras__Port"] = CommandCenterProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        });
        try
        {
            await Waiting.Until(() => Accepted(a), n => n >= 40, TimeSpan.FromSeconds(60), "readings through the first node");
            Assert.Equal(0, await Accepted(b));

            await a.Kill();

            var onB = await Waiting.Until(() => Accepted(b), n => n >= 200, TimeSpan.FromSeconds(60), "readings through the second node");
            Assert.True(onB >= 200);
            Assert.False(simulators.HasExited, "the simulators ended instead of moving");
        }
        finally
        {
            simulators.Kill(entireProcessTree: true);
            await simulators.WaitForExitAsync();
        }
    }

    private static async Task<long> Accepted(CommandCenterProcess host) => (await host.Api.Stats()).GetProperty("accepted").GetInt64();
}

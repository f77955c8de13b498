using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>Commands down to a device played by Debian's mosquitto_sub / mosquitto_pub, answered and unanswered.</summary>
public sealed class DeviceCommandTests(DeviceCommandTests.QuickRetries fixture) : IClassFixture<DeviceCommandTests.QuickRetries>
{
    /// <summary>One host for these tests, with one-second acknowledgement timeouts so that giving up takes seconds.</summary>
    public sealed class QuickRetries : IAsyncLifetime
    {
        public CommandCenterProcess Host { get; } = new(settings: new Dictionary<string, string>
        {
            ["Commands__AckTimeout"] = "00:00:01",
            ["Commands__Attempts"] = "3",
        });

        public Task InitializeAsync() => Host.Start();
        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private CommandCenterProcess Host => fixture.Host;

    /// <summary>The device's side: mosquitto_sub on its own command topic, printing each command it gets.</summary>
    private Process Listen(string kind, string id, int count)
    {
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Host.MqttPort.ToString(), "-u", id, "-P", CommandCenterProcess.SecretOf(id),
                     "-q", "1", "-t", $"cc/{kind}/{id}/cmd", "-C", count.ToString(), "-W", "30"])
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    private static async Task<string> WaitUntilSubscribed(Process listener)
    {
        // mosquitto_sub has no "subscribed" line; a short pause lets its SUBSCRIBE reach the broker.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return listener.HasExited ? await listener.StandardError.ReadToEndAsync() : "";
    }

    [Fact]
    public async Task A_handheld_receives_a_task_and_its_acknowledgement_reaches_the_caller()
    {
        await Host.Register("handheld", "cmd-hh1");
        using var device = Listen("handheld", "cmd-hh1", 1);
        Assert.Equal("", await WaitUntilSubscribed(device));

        var sending = Host.Api.PostAsJsonAsync("/api/devices/handheld/cmd-hh1/commands",
            new { type = "task", args = new { caseId = "620402-0301-000042", lat = 36.5461, lon = 104.1402, text = "Overflowing bin at the market" } });
        var line = await device.StandardOutput.ReadLineAsync();
        var command = JsonDocument.Parse(line!).RootElement;
        Assert.Equal("task", command.GetProperty("type").GetString());
        Assert.Equal("620402-0301-000042", command.GetProperty("args").GetProperty("caseId").GetString());
        var cmdId = command.GetProperty("cmdId").GetString()!;

        await Host.MosquittoPub(["-u", "cmd-hh1", "-P", CommandCenterProcess.SecretOf("cmd-hh1"), "-q", "1", "-t", "cc/handheld/cmd-hh1/cmd/ack",
            "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{cmdId}}","result":"accepted"}"""]);
        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(cmdId, outcome.GetProperty("cmdId").GetString());
        Assert.Equal("accepted", outcome.GetProperty("result").GetString());
        Assert.Equal(1, outcome.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task An_unanswered_command_is_sent_again_with_the_same_cmdId_and_finally_reported_failed()
    {
        await Host.Register("sensor", "cmd-s1");
        using var device = Listen("sensor", "cmd-s1", 3);
        Assert.Equal("", await WaitUntilSubscribed(device));

        using var response = await Host.Api.PostAsJsonAsync("/api/devices/sensor/cmd-s1/commands", new { type = "param-request", args = new { cn = "3020", codes = new[] { "a34004" } } });
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(outcome.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(3, outcome.GetProperty("attempts").GetInt32());

        var received = new List<string>();
        while (await device.StandardOutput.ReadLineAsync() is { } line) received.Add(JsonDocument.Parse(line).RootElement.GetProperty("cmdId").GetString()!);
        Assert.Equal(3, received.Count);
        Assert.All(received, id => Assert.Equal(outcome.GetProperty("cmdId").GetString(), id));
    }

    [Fact]
    public async Task Another_device_cannot_answer_a_command_that_was_not_sent_to_it()
    {
        await Host.Register("camera", "cmd-cam1");
        await Host.Register("camera", "cmd-cam2");
        using var device = Listen("camera", "cmd-cam1", 1);
        Assert.Equal("", await WaitUntilSubscribed(device));

        var sending = Host.Api.PostAsJsonAsync("/api/devices/camera/cmd-cam1/commands", new { type = "snapshot" });
        var cmdId = JsonDocument.Parse((await device.StandardOutput.ReadLineAsync())!).RootElement.GetProperty("cmdId").GetString();
        // cmd-cam2 answers on its own ack topic (the only one it may use): it is not taken as cmd-cam1's answer.
        await Host.MosquittoPub(["-u", "cmd-cam2", "-P", CommandCenterProcess.SecretOf("cmd-cam2"), "-q", "1", "-t", "cc/camera/cmd-cam2/cmd/ack",
            "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{cmdId}}","result":"ok"}"""]);
        using var response = await sending;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }
}

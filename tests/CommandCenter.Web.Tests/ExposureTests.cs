using System.Net;

namespace CommandCenter.Web.Tests;

/// <summary>The host refuses to face the network with the passwords and keys it ships with.</summary>
[Collection(OwnHosts.Name)]
public sealed class ExposureTests
{
    private static readonly Dictionary<string, string> ChangedSeeds = new()
    {
        ["Accounts__Seed__0__Password"] = "Harbour-lights#7",
        ["Accounts__Seed__2__Password"] = "Copper-river#3",
        ["Accounts__Seed__3__Password"] = "Yellow-river#5",
    };

    [Fact]
    public async Task Listening_on_all_interfaces_with_the_shipped_secrets_is_refused()
    {
        await using var host = new CommandCenterProcess(listenOn: "0.0.0.0");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.Start);
        Assert.Contains("exited with 2", refused.Message);
        Assert.Contains("Accounts:Seed", host.Log);
        Assert.Contains("account 'operator'", host.Log);
        Assert.Contains("Api:Keys:wall-screen", host.Log);
        Assert.Contains("http://0.0.0.0:", host.Log);
    }

    [Fact]
    public async Task The_mqtt_broker_on_all_interfaces_with_the_shipped_secrets_is_refused()
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string> { ["Mqtt__BindAddress"] = "0.0.0.0" });
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.Start);
        Assert.Contains("exited with 2", refused.Message);
        Assert.Contains("Mqtt:BindAddress 0.0.0.0", host.Log);
        Assert.Contains("Api:Keys:wall-screen", host.Log);
    }

    [Fact]
    public async Task Once_every_shipped_secret_is_changed_it_listens_on_all_interfaces()
    {
        string data;
        await using (var loopback = new CommandCenterProcess(settings: ChangedSeeds))
        {
            await loopback.Start();
            data = loopback.DataDirectory;
            // The operator changes the last shipped password in the dashboard, not in the configuration.
            using var operatorDesk = new FormClient(loopback.BaseAddress);
            Assert.True(FormClient.SignedIn(await operatorDesk.SignIn("operator", "Operator#2026")));
            Assert.Contains("known to everyone", await FormClient.MessageOf(await operatorDesk.ChangePassword("Operator#2026", "Admin#2026")));
            Assert.Equal("Your password has been changed.",
                await FormClient.MessageOf(await operatorDesk.ChangePassword("Operator#2026", "Night-shift#41")));
            await loopback.Stop();
        }

        var settings = new Dictionary<string, string>(ChangedSeeds) { ["Api__Keys__wall-screen"] = "a-wall-screen-key-of-our-own" };
        await using var exposed = new CommandCenterProcess(data, settings, listenOn: "0.0.0.0");
        await exposed.Start();
        Assert.Contains("unencrypted", exposed.Log);
        using var desk = new FormClient(exposed.BaseAddress);
        Assert.False(FormClient.SignedIn(await desk.SignIn("operator", "Operator#2026")));
        Assert.True(FormClient.SignedIn(await desk.SignIn("operator", "Night-shift#41")));
        Assert.Equal(HttpStatusCode.OK, (await exposed.Api.GetAsync("/api/devices")).StatusCode);
    }
}

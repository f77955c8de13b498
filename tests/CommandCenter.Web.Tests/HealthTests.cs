using System.Net;

namespace CommandCenter.Web.Tests;

[Collection(SharedHost.Name)]
public sealed class HealthTests(HostFixture fixture)
{
    private static readonly string[] Parts = ["mqtt-broker", "storage", "ffmpeg", "orleans-silo"];

    [Fact]
    public async Task Health_reports_each_part_of_a_running_host_without_secrets()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var response = await anonymous.GetAsync("/health");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", HealthReport.Status(json));
        foreach (var part in Parts) Assert.Equal("Healthy", HealthReport.StatusOf(json, part));
        Assert.StartsWith("ffmpeg version", HealthReport.DescriptionOf(json, "ffmpeg"));
        Assert.DoesNotContain(CommandCenterProcess.GatewayPassword, json);
        Assert.DoesNotContain(CommandCenterProcess.ApiKey, json);
    }
}

[Collection(OwnHosts.Name)]
public sealed class HealthFailureTests
{
    [Fact]
    public async Task A_missing_ffmpeg_makes_the_host_unhealthy_naming_ffmpeg_while_the_rest_runs()
    {
        var empty = Directory.CreateTempSubdirectory("cc-no-ffmpeg-");
        try
        {
            await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
            {
                ["VideoRelay__FfmpegFolder"] = empty.FullName,
            });
            await host.Start(healthy: false);

            using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
            // /health answers 503 whatever else holds; wait until the one part that may still be starting is up.
            await Waiting.Until(() => Report(anonymous), j => HealthReport.StatusOf(j, "orleans-silo") == "Healthy",
                TimeSpan.FromSeconds(60), "the silo active");
            using var response = await anonymous.GetAsync("/health");
            var json = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", HealthReport.Status(json));
            Assert.Equal("Unhealthy", HealthReport.StatusOf(json, "ffmpeg"));
            Assert.Contains("VideoRelay:FfmpegFolder", HealthReport.DescriptionOf(json, "ffmpeg"));
            foreach (var part in new[] { "mqtt-broker", "storage", "orleans-silo" }) Assert.Equal("Healthy", HealthReport.StatusOf(json, part));
            // Devices still report: the host runs on without video.
            await host.Register("sensor", "health-no-ffmpeg");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_external_broker_that_does_not_answer_shows_as_degraded()
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["Mqtt__EmbeddedBroker"] = "false",
            ["Mqtt__Host"] = "127.0.0.1",
            // Nobody listens here.
            ["Mqtt__Port"] = CommandCenterProcess.FreePort().ToString(),
            ["Mqtt__UserName"] = CommandCenterProcess.GatewayUser,
            ["Mqtt__Password"] = CommandCenterProcess.GatewayPassword,
        });
        await host.Start();

        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var json = await anonymous.GetStringAsync("/health");

        Assert.Equal("Degraded", HealthReport.Status(json));
        Assert.Equal("Degraded", HealthReport.StatusOf(json, "mqtt-broker"));
        Assert.StartsWith("not connected", HealthReport.DescriptionOf(json, "mqtt-broker"));
        Assert.DoesNotContain(CommandCenterProcess.GatewayPassword, json);
    }

    private static async Task<string> Report(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        return await response.Content.ReadAsStringAsync();
    }
}

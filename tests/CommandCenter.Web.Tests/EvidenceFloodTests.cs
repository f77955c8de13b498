using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Hundreds of alerts at a place seen only by cameras that answer nothing: every alert wants evidence from
/// them, and none can be had. The command center must stay up and healthy, and say so in a few counted lines.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed partial class EvidenceFloodTests : IAsyncLifetime
{
    private const int Handhelds = 300;
    private static readonly (double Lat, double Lon) Square = (36.5450, 104.1380);
    private static readonly TimeSpan Watch = TimeSpan.FromMinutes(2);
    private readonly CommandCenterProcess _host = new();

    public Task InitializeAsync() => _host.Start();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Hundreds_of_alerts_at_dead_cameras_leave_the_host_up_and_healthy_for_two_minutes()
    {
        string[] cameras = ["flood-cam-1", "flood-cam-2", "flood-cam-3"];
        foreach (var id in cameras)
        {
            // Port 9 (discard) on loopback: nothing listens, every connection is refused.
            var response = await _host.Api.PutAsJsonAsync($"/api/cameras/{id}", new
            {
                id, streamUrl = "rtsp://127.0.0.1:9/x", lat = Square.Lat - 0.0009, lon = Square.Lon, heading = 0, fieldOfView = 60, range = 300, name = id,
            });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        // QoS 1: each publish waits for the broker, so none is lost when the client disconnects.
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _host.MqttPort).WithClientId("evidence-flood")
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).Build());
        var now = DateTimeOffset.Now;
        var handhelds = Enumerable.Range(0, Handhelds).Select(i => $"flood-hh-{i:D4}").ToList();
        // Handhelds standing on the square first, so that their SOS has a place the cameras see.
        foreach (var id in handhelds)
            await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{id}/telemetry")
                .WithPayload($$"""{"ts":"{{now:O}}","lat":{{Square.Lat}},"lon":{{Square.Lon}},"battery":0.8}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await Waiting.Until(async () => (await _host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices"))!.Count(d =>
                d.GetProperty("id").GetString()!.StartsWith("flood-hh-", StringComparison.Ordinal) && d.GetProperty("position").ValueKind == JsonValueKind.Object),
            n => n == Handhelds, TimeSpan.FromSeconds(60), "the handhelds on the square");
        foreach (var id in handhelds)
            await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{id}/event")
                .WithPayload($$"""{"ts":"{{now.AddSeconds(1):O}}","type":"sos","severity":"critical","text":"help"}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await mqtt.DisconnectAsync();

        var alerts = await Waiting.Until(async () => (await _host.Api.Alerts()).Count(a => a.GetProperty("key").GetProperty("type").GetString() == "sos"
                && a.GetProperty("key").GetProperty("deviceId").GetString()!.StartsWith("flood-hh-", StringComparison.Ordinal)
                && a.GetProperty("cameras").GetArrayLength() == cameras.Length),
            n => n == Handhelds, TimeSpan.FromSeconds(60), "the SOS alerts, each with the three cameras");

        using var probe = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTime.UtcNow + Watch;
        var probes = 0;
        while (DateTime.UtcNow < until)
        {
            var health = await probe.GetAsync("/health");
            Assert.True(health.StatusCode == HttpStatusCode.OK, $"/health answered {health.StatusCode} after {probes} probes:\n{_host.Log}");
            Assert.Equal("Healthy", HealthReport.Status(await health.Content.ReadAsStringAsync()));
            probes++;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        // Each dead camera is asked again only after its cool-down, so failures are a handful of counted lines.
        var failures = FailureLine().Matches(_host.Log);
        Assert.NotEmpty(failures);
        Assert.InRange(failures.Count, 1, cameras.Length * 4);
        Assert.DoesNotContain("Unhandled exception", _host.Log);
        // Alerts without pictures leave nothing behind: no picture in the record database, no folder on disk.
        Assert.Equal(0, await Pictures(Path.Combine(_host.DataDirectory, "state.db")));
        Assert.False(Directory.Exists(Path.Combine(_host.DataDirectory, "evidence")));
    }

    /// <summary>The pictures in the host's record file, read beside the running host (WAL lets a reader in).</summary>
    private static Task<long> Pictures(string stateDatabase) => Task.Run(() =>
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={stateDatabase};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pictures";
        return (long)command.ExecuteScalar()!;
    });

    [GeneratedRegex(@"No evidence from camera flood-cam-\d")]
    private static partial Regex FailureLine();
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Camera URLs as an attacker with an API key would use them: credentials in the query string, hosts anywhere on
/// the network, and the status page as a port scanner's answer sheet.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class CameraSecurityTests() : OwnHostAndBrowser(Settings)
{
    private static readonly Dictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["VideoRelay__RestartBackoffInitial"] = "00:00:00.300",
        ["VideoRelay__RestartBackoffMax"] = "00:00:01",
    };

    private const string Token = "SECRET1-tok3n";
    private const string Password = "SECRET2-pa55";
    private Task<HttpResponseMessage> Register(string id, string streamUrl) =>
        Host.Api.PutAsJsonAsync($"/api/cameras/{id}", new { id, streamUrl, lat = 36.545, lon = 104.138, heading = 0, fieldOfView = 60, range = 300, name = id });

    [Fact]
    public async Task Query_string_credentials_stay_out_of_every_answer_the_log_and_the_database()
    {
        // Nothing listens on port 9: the stream fails, and ffmpeg's error names the URL.
        Assert.Equal(HttpStatusCode.NoContent, (await Register("qs-cam", $"rtsp://127.0.0.1:9/x?token={Token}&password={Password}")).StatusCode);
        var admin = await Chromium.SignIn(Host.BaseAddress, "admin", "Admin#2026");
        await admin.APIRequest.GetAsync("video/qs-cam/index.m3u8");
        var lost = await Waiting.Until(() => Host.Api.AlertOf("qs-cam", "stream-lost"), a => a is not null, TimeSpan.FromSeconds(60), "the stream-lost alert");
        Assert.Equal("Camera qs-cam: video stream lost (stream unavailable)", lost!.Value.GetProperty("title").GetString());

        var adminStatus = await (await admin.APIRequest.GetAsync("video/status")).TextAsync();
        var operatorPage = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        var operatorStatus = await (await operatorPage.APIRequest.GetAsync("video/status")).TextAsync();
        await admin.GotoAsync("/");
        var answers = new Dictionary<string, string>
        {
            ["/video/status as admin"] = adminStatus,
            ["/video/status as operator"] = operatorStatus,
            ["/api/devices"] = await Host.Api.GetStringAsync("/api/devices"),
            ["/api/devices/camera/qs-cam"] = await Host.Api.GetStringAsync("/api/devices/camera/qs-cam"),
            ["/api/alerts?state=all"] = await Host.Api.GetStringAsync("/api/alerts?state=all"),
            ["the live page"] = await admin.ContentAsync(),
            ["the host log"] = Host.Log,
            ["the database files"] = DatabaseBytes(),
        };
        foreach (var (where, text) in answers)
        {
            Assert.False(text.Contains(Token, StringComparison.Ordinal), $"the token is in {where}");
            Assert.False(text.Contains(Password, StringComparison.Ordinal), $"the password is in {where}");
        }
        // The relay did use the URL (the log names it, masked), and tells admins why it fails.
        Assert.Contains("token=***", Host.Log);
        Assert.Contains("Connection refused", LastError(adminStatus, "qs-cam"));
        Assert.Equal("stream unavailable", LastError(operatorStatus, "qs-cam"));
    }

    [Fact]
    public async Task CameraHosts_outside_the_allowed_networks_or_given_by_name_are_refused()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Register("net-loopback", "rtsp://127.0.0.1:8554/a")).StatusCode);

        foreach (var url in new[] { "rtsp://192.0.2.1:554/a", "rtsp://[2001:db8::1]:554/a", "rtsp://camera.example:554/a" })
        {
            var refused = await Register("net-outside", url);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Cameras:AllowedNetworks", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/devices/camera/net-outside")).StatusCode);
    }

    private static string? LastError(string status, string camera) =>
        JsonDocument.Parse(status).RootElement.EnumerateArray().Single(s => s.GetProperty("cameraId").GetString() == camera)
            .GetProperty("lastError").GetString();

    /// <summary>state.db and its write-ahead log as raw bytes, read as Latin-1 so every byte sequence survives.</summary>
    private string DatabaseBytes() => string.Concat(Directory.GetFiles(Host.DataDirectory, "*.db*")
        .Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Encoding.Latin1.GetString(copy.ToArray());
        }));
}

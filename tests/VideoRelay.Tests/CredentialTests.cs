using CommandCenter.VideoRelay.Streams;
using CommandCenter.Simulators.Cameras;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class CredentialTests : IAsyncLifetime
{
    private const string UserName = "relay-user";
    private const string Password = "Tr0ub4dor-and-3";
    private const string WrongPassword = "Wr0ng-Passw0rd-9";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private SimulatedCameraServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new SimulatedCameraServer(new SimulatedCameraOptions
        {
            Port = 0, CameraCount = 2, UserName = UserName, Password = Password, EncoderLinger = TimeSpan.FromSeconds(1),
        });
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Credentials_reach_the_camera_but_never_the_logs_the_status_or_health_reasons()
    {
        var good = _server.Cameras.First().Id;
        var bad = _server.Cameras.Last().Id;
        var badUrl = new UriBuilder(_server.UrlFor(bad)) { Password = WrongPassword }.Uri;
        var directory = new CameraDirectory().Add(good, _server.UrlFor(good)).Add(bad, badUrl);
        await using var host = await RelayHost.StartAsync(directory);

        await host.Relay.EnsureStreamingAsync(good);
        await host.Relay.EnsureStreamingAsync(bad);
        await host.Health.WaitForAsync(good, online: true, Deadline);
        var refused = await host.Health.WaitForAsync(bad, online: false, Deadline);
        var jpeg = await host.Snapshots.TakeAsync(good, CancellationToken.None);
        var status = await host.Http.GetStringAsync("/video/status");
        var logs = string.Join('\n', host.Logs.Lines);

        Assert.Equal(0xFF, jpeg[0]);
        // Health reports carry a fixed category; ffmpeg's own words (here the camera's 401) go to the log only.
        Assert.Equal(StreamLoss.Unavailable, refused.Reason);
        Assert.Contains("401", logs);
        // ffmpeg names the URL when the camera refuses it; that line must have been logged, masked.
        Assert.Contains("***@", logs);
        foreach (var secret in new[] { Password, WrongPassword, $"{UserName}:" })
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, status);
            Assert.All(host.Health.Reports, r => Assert.DoesNotContain(secret, r.Reason ?? ""));
        }
    }
}

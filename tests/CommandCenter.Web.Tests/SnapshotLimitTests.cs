using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using CommandCenter.Simulators.Cameras;

namespace CommandCenter.Web.Tests;

/// <summary>
/// A camera whose pictures are larger than <c>Evidence:MaxSnapshotBytes</c>: its snapshot is refused and counted in the
/// log, nothing is kept, and the command center goes on healthy.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class SnapshotLimitTests : IAsyncLifetime
{
    private readonly CommandCenterProcess _host = new(settings: new Dictionary<string, string>
    {
        // Far below any real JPEG of the simulated camera.
        ["Evidence__MaxSnapshotBytes"] = "200",
    });
    private readonly SimulatedCameraServer _cameras = new(new SimulatedCameraOptions
    {
        Port = 0, CameraCount = 1, UserName = "limit", Password = "Limit-Pa55", EncoderLinger = TimeSpan.FromSeconds(1),
    }, NullLoggerFactory.Instance);

    public async Task InitializeAsync()
    {
        _cameras.Start();
        await _host.Start();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _cameras.DisposeAsync();
    }

    [Fact]
    public async Task A_snapshot_above_the_limit_is_refused_counted_and_not_kept()
    {
        var registered = await _host.Api.PutAsJsonAsync("/api/cameras/cam-0001", new
        {
            id = "cam-0001", streamUrl = _cameras.UrlFor("cam-0001").ToString(), lat = 36.5441, lon = 104.1380, heading = 0, fieldOfView = 60, range = 300,
            name = "Limit camera",
        });
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++)
            await _host.Publish("cc/sensor/limit-s1/telemetry",
                $$"""{"ts":"{{now.AddSeconds(i):O}}","values":{"a21004":{{450 + i}}},"lat":36.5450,"lon":104.1380}""");
        var alert = (await Waiting.Until(() => _host.Api.AlertOf("limit-s1", "exceed-a21004"), a => a is not null, TimeSpan.FromSeconds(20), "the alert"))!.Value;
        Assert.Equal(["cam-0001"], alert.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()));

        await Waiting.Until(() => Task.FromResult(_host.Log), log => log.Contains("Snapshot of camera cam-0001 for alert"), TimeSpan.FromSeconds(60),
            "the refusal in the log");
        Assert.Matches(@"Snapshot of camera cam-0001 for alert \S+ refused: \d+ bytes, more than 200 \(1 refused so far\)", _host.Log);
        using var viewer = new FormClient(_host.BaseAddress);
        Assert.True(FormClient.SignedIn(await viewer.SignIn("operator", "Operator#2026")));
        using var evidence = await viewer.Get($"/evidence/{alert.GetProperty("id").GetString()}/cam-0001.jpg");
        Assert.Equal(HttpStatusCode.NotFound, evidence.StatusCode);
        using var health = await _host.Api.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain("Unhandled exception", _host.Log);
    }
}

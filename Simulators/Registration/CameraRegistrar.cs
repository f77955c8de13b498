using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Cameras;
using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Hosting;

namespace CommandCenter.Simulators.Registration;

/// <summary>
/// Registers every simulated camera with the command center — its RTSP URL on the camera server, its
/// position and view — retrying until the command center answers.
/// </summary>
public sealed class CameraRegistrar(
    IOptions<SimulatorOptions> options, SimulatedFleet fleet, SimulatedCameraServer cameraServer, ILogger<CameraRegistrar> logger)
    : BackgroundService
{
    private sealed record Registration(
        string Id, string StreamUrl, double Lat, double Lon, double Heading, double FieldOfView, double Range, string Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.CommandCenter;
        if (string.IsNullOrWhiteSpace(settings.Url)) return;
        using var http = new HttpClient { BaseAddress = new Uri(settings.Url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", settings.ApiKey);

        var cameras = fleet.Cameras.ToList();
        var delay = settings.RetryDelay;
        foreach (var camera in cameras)
        {
            var site = camera.Site;
            var registration = new Registration(camera.Id, cameraServer.UrlFor(camera.Id).ToString(),
                site.Position.Latitude, site.Position.Longitude, site.Heading, site.FieldOfView, site.Range, $"Simulated {camera.Id}");
            while (!await TryRegister(http, registration, stoppingToken))
            {
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxRetryDelay.Ticks));
            }
        }
        logger.LogInformation("Registered {Count} cameras with the command center at {Url}", cameras.Count, settings.Url);
    }

    private async Task<bool> TryRegister(HttpClient http, Registration registration, CancellationToken stoppingToken)
    {
        try
        {
            var response = await http.PutAsJsonAsync($"api/cameras/{registration.Id}", registration, stoppingToken);
            if (response.IsSuccessStatusCode) return true;
            logger.LogWarning("Registering camera {Camera} was refused: {Status}", registration.Id, (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            logger.LogDebug("The command center is not answering yet: {Reason}", e.Message);
        }
        return false;
    }
}

using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Devices;
using CommandCenter.Simulators.Hosting;

namespace CommandCenter.Simulators.Registration;

/// <summary>
/// Registers every simulated device with the command center (<c>PUT /api/devices/{kind}/{id}</c>) with the secret
/// its connection will present, retrying until the command center answers; the devices connect once it is done.
/// Nothing is registered when the devices share a gateway user's connections or no command center URL is set.
/// </summary>
public sealed class DeviceRegistrar(IOptions<SimulatorOptions> options, SimulatedFleet fleet, ILogger<DeviceRegistrar> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every device is registered (at once when there is nothing to register).</summary>
    public Task Registered => _registered.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Mqtt.SharesConnections || string.IsNullOrWhiteSpace(settings.CommandCenter.Url))
        {
            _registered.TrySetResult();
            return;
        }
        using var http = new HttpClient { BaseAddress = new Uri(settings.CommandCenter.Url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", settings.CommandCenter.ApiKey);
        try
        {
            // A few at a time: each costs the command center one PBKDF2 run.
            await Parallel.ForEachAsync(fleet.Devices, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken },
                async (device, ct) => await Register(http, device, settings, ct));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _registered.TrySetCanceled(stoppingToken);
            return;
        }
        logger.LogInformation("Registered {Count} devices with the command center at {Url}", fleet.Devices.Count, settings.CommandCenter.Url);
        _registered.TrySetResult();
    }

    private async Task Register(HttpClient http, SimulatedDevice device, SimulatorOptions settings, CancellationToken ct)
    {
        var kind = device.Kind.ToString().ToLowerInvariant();
        var body = new { secret = settings.Mqtt.SecretOf(device.Id), name = $"Simulated {device.Id}" };
        var delay = settings.CommandCenter.RetryDelay;
        while (true)
        {
            try
            {
                using var response = await http.PutAsJsonAsync($"api/devices/{kind}/{device.Id}", body, ct);
                if (response.IsSuccessStatusCode) return;
                logger.LogWarning("Registering {Kind} {Device} was refused: {Status}", kind, device.Id, (int)response.StatusCode);
            }
            catch (HttpRequestException e)
            {
                logger.LogDebug("The command center is not answering yet: {Reason}", e.Message);
            }
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.CommandCenter.MaxRetryDelay.Ticks));
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Web.Tests;

/// <summary>The API and the live hub write every time in the city's offset (+08:00), whatever offset a device sent.</summary>
[Collection(SharedHost.Name)]
public sealed class ApiTimeTests(HostFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task A_reading_sent_in_utc_and_the_server_times_beside_it_read_in_the_city_offset()
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Host.BaseAddress, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(CommandCenterProcess.ApiKey))
            .Build();
        await hub.StartAsync();
        var events = Channel.CreateUnbounded<JsonElement>();
        using var stop = new CancellationTokenSource(Timeout);
        _ = Task.Run(async () =>
        {
            await foreach (var e in hub.StreamAsync<JsonElement>("Subscribe", null, null, stop.Token)) await events.Writer.WriteAsync(e);
        });

        // Sent as UTC ("+00:00"), as a device whose clock is set to UTC would.
        var sent = DateTimeOffset.UtcNow.AddSeconds(-3);
        for (var i = 0; i < 3; i++) await Host.PublishReading("time-sensor", 190 + i, sent.AddSeconds(i));
        var alert = await Waiting.Until(() => Host.Api.AlertOf("time-sensor", "exceed-a34004"), a => a is not null, Timeout, "the alert");
        var sensor = await Host.Api.GetFromJsonAsync<JsonElement>("/api/devices/sensor/time-sensor");

        var lastReport = sensor.GetProperty("lastReport").GetString()!;
        Assert.EndsWith("+08:00", lastReport);
        // The same instant as sent (to the millisecond the reading carries), only written in another offset.
        Assert.Equal(sent.AddSeconds(2).ToUnixTimeMilliseconds(), DateTimeOffset.Parse(lastReport).ToUnixTimeMilliseconds());
        Assert.EndsWith("+08:00", sensor.GetProperty("lastSeen").GetString());
        foreach (var field in new[] { "firstAt", "lastAt" })
            Assert.EndsWith("+08:00", alert!.Value.GetProperty(field).GetString());

        var fromHub = await NextAlertOf(events.Reader, "time-sensor", stop.Token);
        Assert.EndsWith("+08:00", fromHub.GetProperty("alert").GetProperty("firstAt").GetString());
    }

    private static async Task<JsonElement> NextAlertOf(ChannelReader<JsonElement> events, string device, CancellationToken cancellationToken)
    {
        await foreach (var e in events.ReadAllAsync(cancellationToken))
            if (e.TryGetProperty("alert", out var alert) && alert.GetProperty("key").GetProperty("deviceId").GetString() == device) return e;
        throw new InvalidOperationException("The hub stopped before the alert came.");
    }
}

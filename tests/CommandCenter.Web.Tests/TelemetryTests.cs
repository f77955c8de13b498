using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Web.Tests;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the host sends metrics and traces over OTLP/HTTP. The receiver here
/// is a plain HTTP endpoint keeping what arrives; OTLP protobuf carries names as UTF-8, so they are found in the bytes.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_request_and_an_mqtt_reading_reach_an_otlp_receiver_as_metrics_and_traces()
    {
        var received = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        var port = CommandCenterProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.GetOrAdd(signal, _ => new()).Enqueue(Encoding.UTF8.GetString(body.ToArray()));
            return Results.Ok();
        });
        await receiver.StartAsync();

        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        });
        await host.Start();
        await host.Register("sensor", "otel-sensor");
        await host.PublishReading("otel-sensor", 42, DateTimeOffset.UtcNow);
        await host.Api.Stats();

        bool Has(string signal, string text) => received.TryGetValue(signal, out var bodies) && bodies.Any(b => b.Contains(text, StringComparison.Ordinal));
        await Waiting.Until(() => Task.FromResult(0), _ => Has("metrics", "http.server.request.duration") && Has("metrics", "gateway.messages.accepted")
                && Has("metrics", "CommandCenter.DeviceGateway"),
            TimeSpan.FromSeconds(60), "ASP.NET Core and gateway metrics at the receiver");
        // The reading reached its grain through an Orleans call, traced.
        await Waiting.Until(() => Task.FromResult(0), _ => Has("traces", "ISensorGrain"), TimeSpan.FromSeconds(60), "a traced grain call of the reading");
        Assert.True(Has("metrics", "Microsoft.Orleans"));
        await receiver.StopAsync();
    }
}

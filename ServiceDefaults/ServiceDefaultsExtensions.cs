using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CommandCenter.ServiceDefaults;

/// <summary>
/// What every process of the command center sets up the same way: OpenTelemetry metrics and traces, exported over
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and health checks with their <c>/health</c> route.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The standard OpenTelemetry variable; the rest of the OTEL_* variables (protocol, headers, interval) apply too.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The command center's own meters (gateway, web, relay, history …) are all named "CommandCenter.*"; Orleans's is "Microsoft.Orleans".</summary>
    public static readonly string[] Meters = ["CommandCenter.*", "Microsoft.Orleans"];

    /// <summary>Orleans traces grain calls under "Microsoft.Orleans.Runtime" and "Microsoft.Orleans.Application" once the silo propagates activities.</summary>
    public static readonly string[] ActivitySources = ["CommandCenter.*", "Microsoft.Orleans.*"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks();
        // Nothing is registered unless an endpoint is set: no listener on the meters and activity sources means an
        // instrument's Add and a StartActivity cost a check each, so a node that exports nothing pays nothing to speak of.
        if (!builder.ExportsTelemetry()) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource(ActivitySources))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Whether an OTLP endpoint is configured (environment or settings), so telemetry is collected and sent.</summary>
    public static bool ExportsTelemetry(this IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);

    /// <summary>
    /// <c>/health</c>, anonymous: the overall status and each check's status and description as JSON; 503 when a
    /// check is unhealthy, 200 when all are healthy or some only degraded. Descriptions never carry connection strings.
    /// </summary>
    public static IEndpointConventionBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteReport });

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

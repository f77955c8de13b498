using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.History;
using CommandCenter.Grains.Pollution;
using CommandCenter.Web.Api;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.History;

/// <summary>
/// A sensor's history of one pollutant (docs/history.md), for signed-in users and for API keys that may read; and the
/// history writer's counters.
/// </summary>
public static class HistoryEndpoints
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);
    public static readonly TimeSpan MinStep = TimeSpan.FromSeconds(1);

    /// <summary>History requests refused as bad (problem-details 400), for the stats route.</summary>
    private static long _refused;

    public static void MapHistory(this IEndpointRouteBuilder app)
    {
        // Outside the /api group: that group takes API keys only, this route takes a sign-in cookie as well.
        app.MapGet("/api/sensors/{id}/history", Query).AddEndpointFilter<KeyOrSignIn>();
        // The writer's counters: points recorded, written, held while the store is down, and overflowed.
        app.MapGet("/api/history/stats", (HistoryWriter writer) => new Stats(writer.Stats, Interlocked.Read(ref _refused)))
            .AddEndpointFilter<KeyOrSignIn>();
    }

    public sealed record Stats(HistoryStats Writer, long RefusedQueries);

    public sealed record Point(DateTimeOffset Ts, double Value, [property: System.Text.Json.Serialization.JsonIgnore(
        Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Flag);

    /// <param name="Step">The bucket length in seconds; null for raw values.</param>
    public sealed record Answer(string Pollutant, string Unit, double? Limit, string Period, DateTimeOffset From, DateTimeOffset To,
        double? Step, IReadOnlyList<Point> Points);

    private static async Task<IResult> Query(string id, string? pollutant, string? from, string? to, string? step, string? period,
        IGrainFactory grains, DeviceRegistry registry, IHistoryStore store, IOptions<HistoryOptions> options,
        IOptions<PollutionOptions> pollution, TimeProvider clock, ILogger<HistoryWriter> logger, CancellationToken cancellation)
    {
        var settings = options.Value;
        if (!DeviceRegistry.IsValidId(id)) return Results.Problem("No such sensor.", statusCode: 404);
        if (pollutant is null || !HistoryQueryText.PollutantCode().IsMatch(pollutant))
            return Bad("pollutant must be an HJ 212 code such as a34004 (PM2.5).");
        period ??= HistoryPoint.RealTime;
        if (!HistoryPoint.Periods.Contains(period)) return Bad("period must be rtd (readings), minute, hour or day (the monitor's averages).");
        var end = clock.GetUtcNow();
        if (to is not null && !HistoryQueryText.TryParseTime(to, out end)) return Bad("to must be an ISO 8601 time, e.g. 2026-12-01T08:00:00+08:00.");
        var start = end - DefaultRange;
        if (from is not null && !HistoryQueryText.TryParseTime(from, out start)) return Bad("from must be an ISO 8601 time, e.g. 2026-11-30T08:00:00+08:00.");
        if (start >= end) return Bad("from must be before to.");
        if (start < DateTimeOffset.UnixEpoch) return Bad("from must not be before 1970.");
        if (end - start > settings.MaxRange) return Bad($"The range may span at most {settings.MaxRange.TotalDays:0.#} days.");
        TimeSpan? bucket = null;
        if (step is not null)
        {
            if (!HistoryQueryText.TryParseStep(step, out var parsed) || parsed < MinStep || parsed > end - start)
                return Bad("step must be at least 1s and at most the range: 30s, 1m, 5m, 1h, 1d, PT5M or seconds.");
            if ((end - start) / parsed > settings.MaxPoints)
                return Bad($"That step makes more than {settings.MaxPoints} points over the range: take a longer step.");
            bucket = parsed;
        }
        if (!await IsSensor(id, grains, registry)) return Results.Problem("No such sensor.", statusCode: 404);

        IReadOnlyList<HistoryValue> values;
        try
        {
            values = await store.QueryAsync(new HistoryQuery(id, pollutant, period, start, end, bucket, settings.MaxPoints), cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellation.IsCancellationRequested)
        {
            // The history server is down or answered nonsense: the caller may try again, nothing here is wrong.
            logger.LogWarning("Reading history from {Store} failed: {Error}", store.Name, e.Message);
            return Results.Problem($"The history store ({store.Name}) could not be read; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (values.Count > settings.MaxPoints)
            return Bad($"More than {settings.MaxPoints} values in the range: ask with a step (e.g. step=5m) or for a shorter range.");
        var points = values.Select(v => new Point(v.Ts.ToUniversalTime(), v.Value, v.Flag == SensorReading.NormalFlag ? null : v.Flag)).ToList();
        return Results.Ok(new Answer(pollutant, Pollutants.UnitOf(pollutant), pollution.Value.RuleOf(pollution.Value.ProfileOf(registry.Find(id)?.Profile), pollutant)?.Instant, period,
            start.ToUniversalTime(), end.ToUniversalTime(), bucket?.TotalSeconds, points));
    }

    /// <summary>Listed as a sensor, or once heard from (a retired sensor keeps its history).</summary>
    private static async Task<bool> IsSensor(string id, IGrainFactory grains, DeviceRegistry registry) =>
        registry.Find(id) is { } record
            ? record.Kind == DeviceKind.Sensor
            : (await grains.GetGrain<ISensorGrain>(id).GetSnapshot()).LastSeen is not null;

    private static IResult Bad(string detail)
    {
        Interlocked.Increment(ref _refused);
        return Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad history query");
    }

    /// <summary>A signed-in user, or else an API key with the read scope.</summary>
    private sealed class KeyOrSignIn(ApiKeyFilter keys) : IEndpointFilter
    {
        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
            context.HttpContext.User.Identity?.IsAuthenticated == true ? next(context) : keys.InvokeAsync(context, next);
    }
}

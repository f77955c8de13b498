using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Web.Api;

namespace CommandCenter.Web.Cases;

/// <summary>
/// The case workflow over HTTP (docs/cases.md): reading needs the read scope, reporting and every step the operate
/// scope. Refusals are problem details: 400 bad input, 404 no such case, 409 a step the case's state does not allow;
/// a refused request changes nothing.
/// </summary>
public static class CaseEndpoints
{
    public sealed record ReportRequest(string? Source, string? Category, string? Description, string? Address, double? Lat, double? Lon,
        string? ReporterName, string? ReporterPhone, string? ReporterEmail, IReadOnlyList<string>? Media, string? Origin);
    public sealed record FileRequest(string? Category, string? Note);
    public sealed record ReasonRequest(string? Reason);
    public sealed record DispatchRequest(string? Department, string? Verifier, string? Note);
    public sealed record HandleRequest(string? Note, IReadOnlyList<string>? Media);
    public sealed record VerifyRequest(bool? Passed, string? Note, IReadOnlyList<string>? Media);
    public sealed record NoteRequest(string? Note);
    public sealed record EvaluateRequest(int? Score, string? Comment);
    public sealed record ReassignRequest(string? Department, string? Note);
    public sealed record CaseList(IReadOnlyList<Case> Cases, string? Next);

    public static IServiceCollection AddCaseApi(this IServiceCollection services)
    {
        services.AddSingleton<CaseRefusals>();
        services.AddSingleton<CaseDesk>();
        // The workflow's names are the API's exactly ("Reported", "Open311"), not the kebab-case of the other enums:
        // put first, these converters win over the general one.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Insert(0, new JsonStringEnumConverter<CaseState>());
            o.SerializerOptions.Converters.Insert(0, new JsonStringEnumConverter<CaseSource>());
            o.SerializerOptions.Converters.Insert(0, new JsonStringEnumConverter<CaseType>());
            o.SerializerOptions.Converters.Insert(0, new JsonStringEnumConverter<CaseStep>());
        });
        return services;
    }

    public static void MapCases(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases");
        cases.AddEndpointFilter(async (context, next) =>
        {
            // An id that cannot be a case's is answered 404 without waking a grain for it.
            if (context.HttpContext.Request.RouteValues.TryGetValue("id", out var id) && id is string text && !CaseIds.IsValid(text))
                return NotFound(text);
            var answer = await next(context);
            if (answer is IStatusCodeHttpResult { StatusCode: >= 400 and < 500 }) context.HttpContext.RequestServices.GetRequiredService<CaseRefusals>().Count();
            return answer;
        });

        cases.MapGet("/categories", (CaseCategories categories) => categories.All);
        cases.MapGet("/departments", (Departments departments) => departments.All);
        cases.MapGet("/grid", (double? lat, double? lon, GridCells grid) =>
            lat is { } la && lon is { } lo ? grid.CellOf(new GeoPoint(la, lo)) is { } cell ? Results.Ok(cell) : NotFoundDetail("No grid cell there.")
            : Bad("lat and lon are required."));

        cases.MapGet("", async (CaseStore store, Departments departments, string? state, string? department, bool? overdue, string? category,
            string? source, string? grid, int? limit, string? after) =>
        {
            if (CaseFilters.Parse(state, department, overdue, category, source, grid, limit, after, departments) is not { } query)
                return Bad(CaseFilters.Help);
            var page = await store.ListAsync(query);
            return Results.Ok(new CaseList(page.Cases, page.Next?.ToString()));
        });

        cases.MapGet("/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ICaseGrain>(id).Get() is { } found ? Results.Ok(found) : NotFound(id));

        cases.MapPost("", async (ReportRequest body, HttpContext http, CaseIntake intake) =>
        {
            if (!CaseNames.TryParse<CaseSource>(body.Source ?? nameof(CaseSource.Inspector), out var source))
                return Bad("source must be Inspector, Hotline, Open311, Alert or Video.");
            if ((body.Lat is null) != (body.Lon is null)) return Bad("lat and lon go together.");
            var reporter = (body.ReporterName ?? body.ReporterPhone ?? body.ReporterEmail) is null ? null
                : new CaseReporter(body.ReporterName, body.ReporterPhone, body.ReporterEmail);
            var position = body.Lat is { } lat && body.Lon is { } lon ? new GeoPoint(lat, lon) : (GeoPoint?)null;
            var result = await intake.ReportAsync(new NewCase(source, body.Category ?? "", body.Description ?? "", body.Address, position,
                reporter, body.Media, body.Origin), Caller(http));
            return result.Ok ? Results.Created($"/api/cases/{result.Case!.Id}", result.Case) : Answer(result);
        }).RequireScope(ApiScope.Operate);

        Step(cases, "file", (ICaseGrain grain, FileRequest body, CaseActor by) => grain.File(new CaseFiling(body.Category, body.Note), by));
        Step(cases, "cancel", (ICaseGrain grain, ReasonRequest body, CaseActor by) => grain.Cancel(body.Reason ?? "", by));
        Step(cases, "dispatch", (ICaseGrain grain, DispatchRequest body, CaseActor by) => grain.Dispatch(body.Department, body.Verifier, body.Note, by));
        Step(cases, "handle", (ICaseGrain grain, HandleRequest body, CaseActor by) => grain.Handle(body.Note ?? "", body.Media ?? [], by));
        Step(cases, "verify", (ICaseGrain grain, VerifyRequest body, CaseActor by) => body.Passed is { } passed
            ? grain.Verify(passed, body.Note, body.Media ?? [], by)
            : Task.FromResult(new CaseResult(null, CaseError.Invalid, "passed (true or false) is required")));
        Step(cases, "close", (ICaseGrain grain, NoteRequest body, CaseActor by) => grain.Close(body.Note, by));
        Step(cases, "evaluate", (ICaseGrain grain, EvaluateRequest body, CaseActor by) => body.Score is { } score
            ? grain.Evaluate(score, body.Comment, by)
            : Task.FromResult(new CaseResult(null, CaseError.Invalid, "score (1 to 5) is required")));
        Step(cases, "supervise", (ICaseGrain grain, NoteRequest body, CaseActor by) => grain.Supervise(body.Note ?? "", by));
        Step(cases, "reassign", (ICaseGrain grain, ReassignRequest body, CaseActor by) => grain.Reassign(body.Department ?? "", body.Note, by));
    }

    private static void Step<T>(RouteGroupBuilder cases, string action, Func<ICaseGrain, T, CaseActor, Task<CaseResult>> step) =>
        cases.MapPost($"/{{id}}/{action}", async (string id, T body, HttpContext http, IGrainFactory grains) =>
            Answer(await step(grains.GetGrain<ICaseGrain>(id), body, new CaseActor(Caller(http)))))
            .RequireScope(ApiScope.Operate);

    private static string Caller(HttpContext http) => $"api:{http.Items[ApiKeyFilter.CallerItem]}";

    private static IResult Bad(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
    private static IResult NotFound(string id) => NotFoundDetail($"There is no case '{id}'.");
    private static IResult NotFoundDetail(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Answer(CaseResult result) => result.Error switch
    {
        CaseError.None => Results.Ok(result.Case),
        CaseError.NotFound => NotFoundDetail(result.Detail!),
        CaseError.Invalid => Bad(result.Detail!),
        CaseError.Forbidden => Results.Problem(result.Detail, statusCode: StatusCodes.Status403Forbidden),
        _ => Results.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the case's state"),
    };
}

/// <summary>Refused case requests (<c>cases.requests.refused</c>): bad input, unknown cases, steps out of order.</summary>
public sealed class CaseRefusals(IMeterFactory meters)
{
    private readonly Counter<long> _count = meters.Create("CommandCenter.Web").CreateCounter<long>("cases.requests.refused");

    public void Count() => _count.Add(1);
}

/// <summary>The list's filters, shared by the API and the operators' page.</summary>
public static class CaseFilters
{
    public const string Help = "state must be a case state (Reported, Filed, Cancelled, Dispatched, Handled, Returned, Closed), department a known "
        + "department, source a case source, limit 1..500, after the next value of the previous page.";

    public static CaseQuery? Parse(string? state, string? department, bool? overdue, string? category, string? source, string? grid,
        int? limit, string? after, Departments departments)
    {
        CaseState? onlyState = null;
        if (state is not null) { if (!CaseNames.TryParse<CaseState>(state, out var s)) return null; onlyState = s; }
        CaseSource? onlySource = null;
        if (source is not null) { if (!CaseNames.TryParse<CaseSource>(source, out var s)) return null; onlySource = s; }
        if (department is not null && departments.Find(department) is null) return null;
        if (limit is < 1 or > 500) return null;
        CaseCursor? cursor = null;
        if (after is not null && !CaseCursor.TryParse(after, out cursor)) return null;
        return new CaseQuery(onlyState, departments.Find(department)?.Code, overdue, category, onlySource, grid, limit ?? 50, cursor);
    }
}

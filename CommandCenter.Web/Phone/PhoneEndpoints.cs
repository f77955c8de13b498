using System.Text.RegularExpressions;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;
using CommandCenter.Web.Accounts;
using CommandCenter.Web.Api;
using CommandCenter.Web.Pictures;
using CommandCenter.Grains.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Phone;

/// <summary>
/// The inspector's phone page (docs/dispatch.md, "The phone page"): a plain page and a script, not a Blazor circuit,
/// because a circuit dies with the connection. The script calls these JSON routes with the sign-in cookie and the
/// antiforgery token; each action carries an id made on the phone, so an action re-sent from its offline queue is
/// applied once.
/// </summary>
public static partial class PhoneEndpoints
{
    public const string PagePath = "/m";
    public const int MaxNote = IncidentEndpoints.MaxText;
    /// <summary>Room for the form's other fields and multipart headers besides the photo.</summary>
    private const long FormOverhead = 64 * 1024;

    public static IServiceCollection AddPhone(this IServiceCollection services)
    {
        services.AddOptions<PhoneOptions>().BindConfiguration(PhoneOptions.Section)
            .Validate(o => o.IsValid(), $"Phone: PhotoDirectory must be set and MaxPhotoBytes 1-{PictureStore.MaxBytes}").ValidateOnStart();
        services.AddSingleton<PhoneRecords>();
        services.AddScoped<InspectorHandhelds>();
        return services;
    }

    public static void MapPhone(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, (HttpContext http, IAntiforgery antiforgery, IOptions<MapOptions> map, CaseCategories categories) =>
            new RazorComponentResult<PhonePage>(new Dictionary<string, object?>
            {
                [nameof(PhonePage.Token)] = antiforgery.GetAndStoreTokens(http).RequestToken,
                [nameof(PhonePage.UserName)] = http.User.Identity?.Name,
                [nameof(PhonePage.Map)] = map.Value,
                [nameof(PhonePage.Categories)] = categories.All,
            }))
            .RequireAuthorization(p => p.RequireRole(Roles.Inspector));

        var phone = app.MapGroup($"{PagePath}/api").RequireAuthorization(p => p.RequireRole(Roles.Inspector));
        phone.MapGet("/task", CurrentTask);
        // Cookie-authenticated writes: the antiforgery middleware checks the token the script sends in its header.
        // A body much larger than a photo is cut off while it arrives instead of being buffered first.
        var bodyLimit = new RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<IOptions<PhoneOptions>>().Value.MaxPhotoBytes + FormOverhead);
        phone.MapPost("/moves", Move).AddEndpointFilter(RequireAntiforgery).WithMetadata(new RequireAntiforgeryTokenAttribute(), bodyLimit);
        phone.MapPost("/reports", Report).AddEndpointFilter(RequireAntiforgery).WithMetadata(new RequireAntiforgeryTokenAttribute(), bodyLimit);

        // From the record database, so any node serves a photo whichever node it was sent to.
        app.MapGet("/photos/{id}", async (string id, PhoneRecords records, HttpContext http) =>
            ClientIds.IsValid(id) && await records.FindPhotoAsync(id) is { } photo
                ? PictureResults.Serve(http, await records.PictureOfAsync(photo))
                : Results.NotFound())
            .RequireAuthorization();
    }

    /// <summary>For the API: the photos kept with an alert or an incident (the files themselves are for signed-in users).</summary>
    public static void MapPhotos(this RouteGroupBuilder api) =>
        api.MapGet("/photos", async (string? of, PhoneRecords records) =>
            string.IsNullOrWhiteSpace(of) || of.Length > 100
                ? Bad("of must name an alert or an incident.")
                : Results.Ok(await records.PhotosOfAsync(of)));

    private static async Task<IResult> CurrentTask(HttpContext http, InspectorHandhelds links, IGrainFactory grains, LiveBoard board, IncidentStore incidents)
    {
        if (await links.Of(http.User) is not { } handheld) return NotLinked();
        var unit = await grains.GetGrain<IHandheldGrain>(handheld).GetUnit();
        var live = board.Device(DeviceKind.Handheld, handheld);
        var fix = live?.Position is { } position ? new Fix(position.Lat, position.Lon, live.LastReport ?? live.LastSeen) : null;
        TaskView? task = null;
        if (unit.Task is { } t)
        {
            var incident = await incidents.FindAsync(t.IncidentId);
            task = new TaskView(t.IncidentId, t.Type, IncidentLevels.Name(t.Level), IncidentLevels.ChineseName(t.Level), IncidentLevels.Colour(t.Level),
                t.Title, incident?.Description, t.Place.Lat, t.Place.Lon, t.SentAt,
                fix is null ? null : Math.Round(new GeoPoint(fix.Lat, fix.Lon).DistanceMetersTo(t.Place)));
        }
        return Results.Ok(new PhoneView(http.User.Identity?.Name, handheld, unit.Status, unit.Since, unit.NoAnswer, task, fix));
    }

    private static async Task<IResult> Move(HttpContext http, InspectorHandhelds links, IGrainFactory grains, PhoneRecords records, IOptions<PhoneOptions> options)
    {
        if (await links.Of(http.User) is not { } handheld) return NotLinked();
        var form = await http.Request.ReadFormAsync();
        var id = form["id"].ToString();
        var incidentId = form["incident"].ToString();
        var note = form["note"].ToString();
        if (!ClientIds.IsValid(id)) return Bad("id must be 8-64 of A-Z a-z 0-9 and -, made by the phone once per action.");
        if (!IncidentIds.IsValid(incidentId)) return Bad("incident must be an incident id.");
        if (!TryStatus(form["status"].ToString(), out var status)) return Bad("status must be acknowledged, en-route, on-scene or done.");
        if (note.Length > MaxNote) return Bad($"note must be at most {MaxNote} characters.");
        // The photo is checked before anything moves: a bad one refuses the whole action.
        var (photo, problem) = await ReadPhoto(form, options.Value);
        if (problem is not null) return problem;

        var by = $"inspector:{http.User.Identity?.Name}";
        var (result, outcome) = await grains.GetGrain<IIncidentGrain>(incidentId)
            .MoveUnit(handheld, status, by, $"phone:{id}", string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        if (!result.Ok)
            return result.Error == IncidentError.NotFound
                ? Results.Problem(result.Detail, statusCode: StatusCodes.Status404NotFound)
                // Not this inspector's task (never sent, or taken back) or a move that makes no sense from where the unit stands.
                : Results.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict);
        string? photoUrl = null;
        if (photo is { } picture)
        {
            // Saved after the move so a refused move keeps no photo; a re-sent action saves it again under the same id.
            var kept = new Photo(id, incidentId, by, picture.ContentType, DateTimeOffset.UtcNow);
            if (await records.FindPhotoAsync(id) is null) await records.SavePhoto(kept, picture.Bytes);
            photoUrl = kept.Url;
        }
        return Results.Ok(new MoveAnswer(id, outcome == UnitMoveOutcome.Applied ? "applied" : "repeated", photoUrl));
    }

    private static async Task<IResult> Report(HttpContext http, InspectorHandhelds links, IGrainFactory grains, LiveBoard board, PhoneRecords records,
        CaseIntake intake, IOptions<PhoneOptions> options)
    {
        if (await links.Of(http.User) is not { } handheld) return NotLinked();
        var user = http.User.Identity?.Name ?? "";
        var form = await http.Request.ReadFormAsync();
        var id = form["id"].ToString();
        var text = form["text"].ToString().Trim();
        var category = form["category"].ToString().Trim();
        if (!ClientIds.IsValid(id)) return Bad("id must be 8-64 of A-Z a-z 0-9 and -, made by the phone once per action.");
        if (await records.FindReportAsync(id) is { } done)
            return done.By == user
                ? Results.Ok(new ReportAnswer(id, done.AlertId, done.PhotoId is null ? null : $"/photos/{done.PhotoId}", "repeated", done.CaseId))
                : Results.Problem($"The report id '{id}' is taken.", statusCode: StatusCodes.Status409Conflict);
        if (text.Length is 0 or > MaxNote) return Bad($"text must be 1-{MaxNote} characters.");
        GeoPoint? place = board.Device(DeviceKind.Handheld, handheld)?.Position;
        var lat = form["lat"].ToString();
        var lon = form["lon"].ToString();
        if (lat.Length > 0 || lon.Length > 0)
        {
            if (!double.TryParse(lat, System.Globalization.CultureInfo.InvariantCulture, out var la) || !double.TryParse(lon, System.Globalization.CultureInfo.InvariantCulture, out var lo)
                || !double.IsFinite(la) || !double.IsFinite(lo) || la is < -90 or > 90 || lo is < -180 or > 180)
                return Bad("lat must be -90..90 and lon -180..180.");
            place = new GeoPoint(la, lo);
        }
        var (photo, problem) = await ReadPhoto(form, options.Value);
        if (problem is not null) return problem;
        // With a category the report also opens a case (立案 source Inspector). It is checked before the alert, so an
        // unknown category or a place the case cannot have refuses the whole report and nothing is half made.
        NewCase? report = null;
        if (category.Length > 0)
        {
            report = new NewCase(CaseSource.Inspector, category, text, null, place, new CaseReporter(user, null, null),
                photo is null ? null : [$"/photos/{id}"]);
            if (intake.Check(report) is { } refused) return Bad($"The case cannot be opened: {refused}.");
        }

        // One alert per report: its type carries the phone's id, so a report re-sent after a crash meets its own alert.
        var title = $"问题上报 Problem reported by {user} ({handheld}): {text}";
        if (title.Length > IncidentEndpoints.MaxTitle) title = title[..(IncidentEndpoints.MaxTitle - 1)] + "…";
        var alert = await grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Handheld, handheld, $"{ReportAlertPrefix}{id}").GrainKey)
            .Raise(new AlertCondition(DateTimeOffset.UtcNow, AlertSeverity.Minor, title, place));
        if (photo is { } picture)
            await records.SavePhoto(new Photo(id, alert.Id, $"inspector:{user}", picture.ContentType, DateTimeOffset.UtcNow), picture.Bytes);
        string? caseId = null;
        if (report is not null)
        {
            // Recorded with the report below, so a re-sent report answers this case instead of opening another. A
            // refusal here (it passed the check above) is the server's fault: a 500 leaves the report in the phone's
            // queue, and the re-send meets the same alert.
            var opened = await intake.ReportAsync(report with { Origin = $"alert {alert.Id}" }, $"inspector:{user}");
            if (!opened.Ok) return Results.Problem($"The case could not be opened: {opened.Detail}", statusCode: StatusCodes.Status500InternalServerError);
            caseId = opened.Case!.Id;
        }
        await records.SaveReport(new ProblemReport(id, user, alert.Id, photo is null ? null : id, DateTimeOffset.UtcNow, caseId));
        return Results.Ok(new ReportAnswer(id, alert.Id, photo is null ? null : $"/photos/{id}", "applied", caseId));
    }

    /// <summary>Alert type of a problem reported from a phone: this prefix and the phone's id of the report.</summary>
    public const string ReportAlertPrefix = "report-";

    private sealed record Picture(byte[] Bytes, string ContentType);

    private static async Task<(Picture?, IResult?)> ReadPhoto(IFormCollection form, PhoneOptions options)
    {
        if (form.Files.GetFile("photo") is not { Length: > 0 } file) return (null, null);
        if (file.Length > options.MaxPhotoBytes)
            return (null, Bad($"The photo is {file.Length} bytes; at most {options.MaxPhotoBytes} are accepted."));
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        return PhotoTypes.Recognise(bytes) is { } type
            ? (new Picture(bytes, type), null)
            : (null, Bad("The photo must be a JPEG, PNG or WebP picture."));
    }

    private static bool TryStatus(string text, out UnitStatus status)
    {
        (var known, status) = text switch
        {
            "acknowledged" => (true, UnitStatus.Acknowledged),
            UnitEvents.EnRoute => (true, UnitStatus.EnRoute),
            UnitEvents.OnScene => (true, UnitStatus.OnScene),
            UnitEvents.Done => (true, UnitStatus.Available),
            _ => (false, default),
        };
        return known;
    }

    internal static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true }
            ? await next(context)
            // "reload" tells the page to fetch a fresh token and send its queue again rather than drop the action.
            : Results.Problem("The request carried no valid antiforgery token: reload the page.", statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["reload"] = true });

    private static IResult NotLinked() => Results.Problem(
        "Your account is not linked to a handheld: ask an administrator to link it on the admin page of inspectors.",
        statusCode: StatusCodes.Status409Conflict);

    private static IResult Bad(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public sealed record Fix(double Lat, double Lon, DateTimeOffset? At);
    public sealed record TaskView(string Incident, IncidentType Type, string Level, string LevelChinese, string Colour, string Title,
        string? Description, double Lat, double Lon, DateTimeOffset SentAt, double? DistanceMeters);
    public sealed record PhoneView(string? User, string Handheld, UnitStatus Status, DateTimeOffset Since, bool NoAnswer, TaskView? Task, Fix? Fix);
    public sealed record MoveAnswer(string Id, string Outcome, string? Photo);
    public sealed record ReportAnswer(string Id, string AlertId, string? Photo, string Outcome, string? CaseId = null);

    /// <summary>Ids the phone gives its actions: random, so two phones never collide.</summary>
    public static partial class ClientIds
    {
        public static bool IsValid(string id) => Pattern().IsMatch(id);

        [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
        private static partial Regex Pattern();
    }
}

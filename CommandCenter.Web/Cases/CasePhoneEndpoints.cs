using CommandCenter.Grains.Cases;
using CommandCenter.Web.Accounts;
using CommandCenter.Web.Phone;
using Microsoft.AspNetCore.Antiforgery;

namespace CommandCenter.Web.Cases;

/// <summary>
/// The inspector's "cases to verify" on the phone page: the Handled cases whose verifier is the signed-in inspector
/// (the inspector of the case's grid cell, unless the operator named another at dispatch), and the check on site.
/// </summary>
public static class CasePhoneEndpoints
{
    public const int Listed = 50;

    public sealed record CaseToVerify(string Id, string Category, string Description, string? Address, double? Lat, double? Lon,
        string Department, DateTimeOffset? HandledAt, DateTimeOffset? DueAt, bool Overdue, int ReworkCount, IReadOnlyList<string> FeedbackMedia);

    public static void MapCasePhone(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup($"{PhoneEndpoints.PagePath}/api/cases").RequireAuthorization(p => p.RequireRole(Roles.Inspector));
        cases.MapGet("", async (HttpContext http, CaseStore store, CaseCategories categories) =>
            (await store.ToVerifyAsync(http.User.Identity?.Name ?? "", Listed)).Select(c => new CaseToVerify(c.Id,
                categories.Find(c.Category)?.Label ?? c.Category, c.Description, c.Address, c.Position?.Lat, c.Position?.Lon, c.Department,
                c.HandledAt, c.DueAt, c.Overdue, c.ReworkCount, c.FeedbackMedia)));
        cases.MapPost("/{id}/verify", async (string id, HttpContext http, CaseDesk desk) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (!bool.TryParse(form["passed"].ToString(), out var passed)) return Results.Problem("passed must be true or false.", statusCode: 400);
            if (!CaseIds.IsValid(id)) return Results.Problem($"There is no case '{id}'.", statusCode: 404);
            var note = form["note"].ToString();
            return CaseEndpoints.Answer(await desk.Act(http.User, id, CaseAction.Verify,
                new CaseForm { Passed = passed, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() }));
        }).AddEndpointFilter(PhoneEndpoints.RequireAntiforgery).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }
}

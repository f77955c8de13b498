using Microsoft.Extensions.Localization;
using System.Globalization;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Web.Accounts;

namespace CommandCenter.Web.Intake;

/// <summary>What an operator typed for one 12319 call, as typed: the desk checks it.</summary>
public sealed record HotlineCall(string? Caller, string? Phone, string? Address, string? Lat, string? Lon, string? Category, string? Description);

/// <summary>The answer to a call: the new case's id, the open cases it may repeat (nothing created yet), or why it was refused.</summary>
public sealed record HotlineOutcome(string? CaseId, List<DuplicateCandidate> Duplicates, string? Problem)
{
    public static HotlineOutcome Refused(string problem) => new(null, [], problem);
}

/// <summary>
/// The 12319 hotline desk (docs/cases.md, "Hotline intake"): a call becomes a Reported case of source Hotline, unless
/// an open case of the same category near the same place was reported within the hour; then the operator is offered
/// to merge the call into it (a line of its history) or to create the case anyway.
/// </summary>
public sealed class HotlineDesk(CaseIntake intake, CaseCategories categories, DuplicateCases duplicates, IGrainFactory grains,
    TimeProvider clock, ILogger<HotlineDesk> logger, IStringLocalizer<HotlineText> text)
{
    /// <summary>Who takes hotline calls.</summary>
    public const string Takers = $"{Roles.Operator},{Roles.Admin}";
    public const int MaxName = 100;
    public const int MaxPhone = 32;
    public const int MaxAddress = CaseIntake.MaxAddress;
    public const int MaxDescription = 2000;

    public IReadOnlyList<CaseCategory> Categories => categories.All;

    /// <summary>The place typed or picked: both coordinates or neither; null with a problem when they do not read.</summary>
    public static GeoPoint? ParsePlace(string? lat, string? lon, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(lat) && string.IsNullOrWhiteSpace(lon)) return null;
        if (double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var la) && double.IsFinite(la) && Math.Abs(la) <= 90
            && double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) && double.IsFinite(lo) && Math.Abs(lo) <= 180)
            return new GeoPoint(la, lo);
        problem = "Lat must be -90..90 and lon -180..180, both given.";
        return null;
    }

    /// <summary>Checks the call and makes it a case, or returns the cases it may repeat when <paramref name="allowDuplicate"/> is false.</summary>
    public async Task<HotlineOutcome> ReportAsync(HotlineCall call, bool allowDuplicate, string by)
    {
        if (Read(call, out var problem) is not { } report) return HotlineOutcome.Refused(problem!);
        if (!allowDuplicate && report.Position is { } place)
        {
            var similar = await duplicates.NearAsync(report.Category, place, clock.GetUtcNow());
            if (similar.Count > 0) return new(null, similar, null);
        }
        var result = await intake.ReportAsync(report, by);
        if (!result.Ok) return HotlineOutcome.Refused(result.Detail ?? text["Refused"]);
        logger.LogInformation("Hotline call taken by {By} as case {Case}", by, result.Case!.Id);
        return new(result.Case!.Id, [], null);
    }

    /// <summary>Merges the call into an open case; returns why not, or null once its history holds the call.</summary>
    public async Task<string?> MergeAsync(string caseId, HotlineCall call, string by)
    {
        if (Read(call, out var problem) is not { } report) return problem;
        var result = await grains.GetGrain<ICaseGrain>(caseId).AddReport(report, by);
        if (!result.Ok) return result.Detail;
        logger.LogInformation("Hotline call taken by {By} merged into case {Case}", by, caseId);
        return null;
    }

    private NewCase? Read(HotlineCall call, out string? problem)
    {
        problem = null;
        var place = ParsePlace(call.Lat, call.Lon, out problem);
        if (problem is not null) return Fail(text["BadPlace"], out problem);
        string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var caller = Trimmed(call.Caller);
        var phone = Trimmed(call.Phone);
        var address = Trimmed(call.Address);
        var description = Trimmed(call.Description);
        if (caller?.Length > MaxName || phone?.Length > MaxPhone)
            return Fail(text["TooLong", MaxName, MaxPhone], out problem);
        if (categories.Find(call.Category) is null) return Fail(text["ChooseCategory"], out problem);
        if (place is null && address is null) return Fail(text["NoPlace"], out problem);
        if (description is null) return Fail(text["NoDescription"], out problem);
        var report = new NewCase(CaseSource.Hotline, call.Category!, description, address, place,
            caller is null && phone is null ? null : new CaseReporter(caller, phone, null));
        if (intake.Check(report) is { } refused) return Fail(refused, out problem);
        return report;
    }

    private static NewCase? Fail(string why, out string? problem)
    {
        problem = why;
        return null;
    }
}

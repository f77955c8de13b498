using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Districts;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Cases;

/// <summary>
/// Makes a Reported case of a report from any source: checks it, gives it a durable id, works out its grid cell,
/// district, department (the category's) and the inspector who will verify it, and has its grain store it.
/// </summary>
public sealed class CaseIntake(IGrainFactory grains, CaseStore store, CaseCategories categories, GridCells grid,
    IOptions<CaseOptions> options, [FromKeyedServices(RuleClock.Key)] TimeProvider clock)
{
    public const int MaxReporterField = 200;
    public const int MaxAddress = 500;

    /// <returns>Why the report is refused (a 400), or null when it may be taken.</returns>
    public string? Check(NewCase report)
    {
        var settings = options.Value;
        if (!Enum.IsDefined(report.Source)) return "unknown source";
        if (categories.Find(report.Category) is null) return $"unknown category '{report.Category}'";
        if (CaseChecks.Text(report.Description, settings.MaxDescriptionLength, "description", required: true) is { } bad) return bad;
        if (CaseChecks.Text(report.Address, MaxAddress, "address") is { } badAddress) return badAddress;
        if (report.Position is { } p && (!double.IsFinite(p.Lat) || !double.IsFinite(p.Lon) || Math.Abs(p.Lat) > 90 || Math.Abs(p.Lon) > 180))
            return "position is not a latitude in -90..90 and a longitude in -180..180";
        if (report.Position is null && string.IsNullOrWhiteSpace(report.Address)) return "a position (lat, lon) or an address is required";
        if (CaseChecks.Media(report.Media, settings) is { } badMedia) return badMedia;
        if (report.Reporter is { } r && (CaseChecks.Text(r.Name, MaxReporterField, "reporter name")
            ?? CaseChecks.Text(r.Phone, MaxReporterField, "reporter phone") ?? CaseChecks.Text(r.Email, MaxReporterField, "reporter email")) is { } badReporter)
            return badReporter;
        return CaseChecks.Text(report.Origin, MaxReporterField, "origin");
    }

    /// <summary>Stores a new Reported case; its result is Invalid (nothing stored) when <see cref="Check"/> refuses it.</summary>
    public async Task<CaseResult> ReportAsync(NewCase report, string by)
    {
        if (Check(report) is { } refused) return new(null, CaseError.Invalid, refused);
        var category = categories.Find(report.Category)!;
        var now = clock.GetUtcNow();
        var cell = grid.CellOf(report.Position);
        var id = await store.NextIdAsync(now);
        var prepared = new Case
        {
            Id = id, Source = report.Source, State = CaseState.Reported, Type = category.Type, Category = category.Code,
            Description = report.Description.Trim(), Address = report.Address?.Trim(), Position = report.Position,
            Grid = cell?.Code, District = cell?.District ?? DistrictMap.CodeOf(report.Position), Department = category.Department,
            Reporter = report.Reporter, Media = report.Media ?? [], ReportedAt = now, UpdatedAt = now,
            Verifier = cell?.Inspector ?? options.Value.DefaultInspector, Origin = report.Origin,
        };
        return new(await grains.GetGrain<ICaseGrain>(id).Create(prepared, by));
    }
}

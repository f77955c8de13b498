namespace CommandCenter.Web.Intake;

/// <summary>How reports become cases: the hotline's duplicate search and the case a confirmed violation opens.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>A report this close to an open case of the same category is offered for merging; default 100 m.</summary>
    public double DuplicateRadiusMeters { get; set; } = 100;

    /// <summary>How long after a case's report a new one may still repeat it; default 1 hour.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The category of the case a confirmed pollution violation opens; default the environment bureau's pollution category.</summary>
    public string ViolationCategory { get; set; } = DefaultViolationCategory;

    /// <summary>超标排放 Pollution above the limit, the environment bureau's.</summary>
    public const string DefaultViolationCategory = "event-0601";

    public bool IsValid() => DuplicateRadiusMeters is > 0 and <= 10_000 && DuplicateWindow > TimeSpan.Zero && DuplicateWindow <= TimeSpan.FromDays(7)
        && !string.IsNullOrWhiteSpace(ViolationCategory);
}

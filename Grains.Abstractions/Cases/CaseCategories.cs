using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Cases;

/// <summary>Hours each step of a case of one category may take.</summary>
public sealed record StepDeadlines
{
    /// <summary>From the report to filing (or cancelling).</summary>
    public TimeSpan File { get; init; } = TimeSpan.FromHours(1);
    /// <summary>From filing to dispatching to a department.</summary>
    public TimeSpan Dispatch { get; init; } = TimeSpan.FromHours(1);
    /// <summary>From dispatch (or a return for rework) to the department's feedback.</summary>
    public TimeSpan Handle { get; init; } = TimeSpan.FromHours(24);
    /// <summary>From the feedback to the inspector's check on site.</summary>
    public TimeSpan Verify { get; init; } = TimeSpan.FromHours(2);

    public TimeSpan Of(CaseStep step) => step switch
    {
        CaseStep.File => File,
        CaseStep.Dispatch => Dispatch,
        CaseStep.Handle => Handle,
        _ => Verify,
    };

    public bool IsValid() => File > TimeSpan.Zero && Dispatch > TimeSpan.Zero && Handle > TimeSpan.Zero && Verify > TimeSpan.Zero;
}

/// <summary>
/// A category of problem: its code (also the Open311 service_code), names, type, class codes and default
/// department, and the deadline of each step.
/// </summary>
public sealed record CaseCategory
{
    /// <summary>"component-0101" or "event-0402": the type and the 2-digit major + 2-digit minor class.</summary>
    public string Code { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public CaseType Type { get; init; }
    /// <summary>2 digits; for components 01 public utilities … 06 extensions (GB/T 30428).</summary>
    public string Major { get; init; } = "";
    public string Minor { get; init; } = "";
    public string Department { get; init; } = "";
    public StepDeadlines Deadlines { get; init; } = new();

    public string Label => $"{NameZh} {NameEn}";
}

/// <summary>
/// The categories in force: the default table below, with entries of <c>Cases:Categories</c> replacing or adding
/// by code. The deadlines are defaults for the city to set: they follow the figures digital city-management
/// centres commonly publish under the GB/T 30428 workflow (file and dispatch within an hour, a verification within
/// two hours, hazards such as an open manhole made safe within two hours, ordinary repairs within one to five days).
/// </summary>
public sealed class CaseCategories
{
    private readonly Dictionary<string, CaseCategory> _byCode;

    public CaseCategories(IOptions<CaseOptions> options)
    {
        _byCode = Defaults.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
        foreach (var custom in options.Value.Categories) _byCode[custom.Code] = custom;
        All = [.. _byCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal)];
    }

    public IReadOnlyList<CaseCategory> All { get; }

    public CaseCategory? Find(string? code) => code is null ? null : _byCode.GetValueOrDefault(code);

    private static CaseCategory Component(string major, string minor, string zh, string en, string department, double handleHours) => new()
    {
        Code = $"component-{major}{minor}", NameZh = zh, NameEn = en, Type = CaseType.Component, Major = major, Minor = minor,
        Department = department, Deadlines = new() { Handle = TimeSpan.FromHours(handleHours) },
    };

    private static CaseCategory Event(string major, string minor, string zh, string en, string department, double handleHours) => new()
    {
        Code = $"event-{major}{minor}", NameZh = zh, NameEn = en, Type = CaseType.Event, Major = major, Minor = minor,
        Department = department, Deadlines = new() { Handle = TimeSpan.FromHours(handleHours) },
    };

    /// <summary>The main categories of the Baiyin demo; a city replaces them with its own code table.</summary>
    public static readonly IReadOnlyList<CaseCategory> Defaults =
    [
        // 01 public utilities: missing or broken covers are hazards, made safe within two hours.
        Component("01", "01", "上水井盖", "Water-supply manhole cover", "water", 2),
        Component("01", "02", "污水井盖", "Sewer manhole cover", "water", 2),
        Component("01", "03", "雨水箅子", "Storm-drain grate", "water", 2),
        Component("01", "08", "燃气井盖", "Gas manhole cover", "gas", 2),
        Component("01", "20", "路灯", "Street lamp", "roads", 72),
        // 02 roads and traffic
        Component("02", "01", "交通信号灯", "Traffic light", "traffic-police", 4),
        Component("02", "06", "道路护栏", "Road guard rail", "roads", 72),
        // 03 city appearance and environment
        Component("03", "01", "公共厕所", "Public toilet", "sanitation", 24),
        Component("03", "03", "垃圾箱", "Litter bin", "sanitation", 24),
        // 04 greenery
        Component("04", "01", "行道树", "Street tree", "greening", 72),
        // Events
        Event("01", "01", "暴露垃圾", "Exposed rubbish", "sanitation", 4),
        Event("01", "02", "积存垃圾渣土", "Piled-up rubbish or muck", "sanitation", 24),
        Event("01", "03", "道路不洁", "Dirty road", "sanitation", 4),
        Event("01", "06", "焚烧垃圾", "Burning rubbish in the open", "environment", 2),
        Event("02", "01", "非法小广告", "Illegal flyposting", "urban-management", 24),
        Event("03", "01", "施工扰民", "Construction disturbing residents", "urban-management", 24),
        Event("03", "02", "道路破损", "Damaged road surface", "roads", 72),
        Event("04", "01", "污水外溢", "Sewage overflow", "water", 4),
        Event("04", "02", "燃气泄漏", "Gas leak", "gas", 1),
        Event("05", "01", "占道经营", "Street vending on the road", "urban-management", 4),
        Event("05", "02", "违章停车", "Illegal parking on the pavement", "traffic-police", 2),
        Event("05", "06", "违法建设", "Illegal construction", "urban-management", 120),
        Event("06", "01", "超标排放", "Pollution above the limit", "environment", 24),
    ];
}

namespace CommandCenter.Grains.Cases;

public sealed class CaseOptions
{
    public const string Section = "Cases";

    /// <summary>Categories replacing or adding to the shipped table by code (default none).</summary>
    public List<CaseCategory> Categories { get; set; } = [];
    /// <summary>Departments replacing or adding to the shipped set by code (default none).</summary>
    public List<Department> Departments { get; set; } = [];
    /// <summary>User name → department code: the department users who report back on their department's cases.</summary>
    public Dictionary<string, string> DepartmentUsers { get; set; } = [];
    /// <summary>Side of a grid cell in degrees (default 0.05, about 5.5 km north–south).</summary>
    public double GridCellDegrees { get; set; } = 0.05;
    /// <summary>Cell code → the user name of its responsible inspector.</summary>
    public Dictionary<string, string> GridInspectors { get; set; } = [];
    /// <summary>The inspector of every cell not listed in <see cref="GridInspectors"/> (default "inspector").</summary>
    public string DefaultInspector { get; set; } = "inspector";
    /// <summary>The share of a step's time after which the case is warned (default 0.8).</summary>
    public double WarnAtFraction { get; set; } = 0.8;
    /// <summary>Longest description, in characters (default 2000).</summary>
    public int MaxDescriptionLength { get; set; } = 2000;
    /// <summary>Most media URLs per report or feedback (default 10), each at most <see cref="MaxMediaUrlLength"/> characters.</summary>
    public int MaxMedia { get; set; } = 10;
    public int MaxMediaUrlLength { get; set; } = 1000;
    /// <summary>Longest note of a step, a supervision or an evaluation (default 1000).</summary>
    public int MaxNoteLength { get; set; } = 1000;

    public bool IsValid() => GridCellDegrees is > 0.001 and <= 1 && WarnAtFraction is > 0 and < 1 && MaxDescriptionLength > 0
        && MaxMedia >= 0 && MaxMediaUrlLength > 0 && MaxNoteLength > 0 && DefaultInspector.Length > 0
        && Categories.All(c => c.Code.Length > 0 && KnowsDepartment(c.Department) && c.Deadlines.IsValid())
        && DepartmentUsers.Values.All(KnowsDepartment);

    /// <summary>A category or a user naming a department that does not exist is found at start-up, not at dispatch.</summary>
    private bool KnowsDepartment(string code) => code.Length > 0
        && (global::CommandCenter.Grains.Cases.Departments.Defaults.Any(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase))
            || Departments.Any(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase)));
}

using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Cases;

/// <summary>A department that handles cases dispatched to it.</summary>
public sealed record Department
{
    /// <summary>"sanitation", "roads" …: the code on the wire and in the department claim of its users.</summary>
    public string Code { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";

    public string Label => $"{NameZh} {NameEn}";
}

/// <summary>
/// The departments in force: the default set with <c>Cases:Departments</c> replacing or adding by code, and which
/// user belongs to which (<c>Cases:DepartmentUsers</c>: user name → department code).
/// </summary>
public sealed class Departments
{
    private readonly Dictionary<string, Department> _byCode;
    private readonly Dictionary<string, string> _users;

    public Departments(IOptions<CaseOptions> options)
    {
        _byCode = Defaults.ToDictionary(d => d.Code, StringComparer.OrdinalIgnoreCase);
        foreach (var custom in options.Value.Departments) _byCode[custom.Code] = custom;
        All = [.. _byCode.Values];
        _users = new(options.Value.DepartmentUsers, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<Department> All { get; }

    public Department? Find(string? code) => code is null ? null : _byCode.GetValueOrDefault(code);

    /// <summary>The department of a signed-in user, or null for a user of none.</summary>
    public string? OfUser(string? userName) => userName is null ? null : _users.GetValueOrDefault(userName);

    public static readonly IReadOnlyList<Department> Defaults =
    [
        new() { Code = "sanitation", NameZh = "环卫", NameEn = "Sanitation" },
        new() { Code = "roads", NameZh = "市政道路", NameEn = "Municipal roads" },
        new() { Code = "greening", NameZh = "园林绿化", NameEn = "Parks and greening" },
        new() { Code = "water", NameZh = "供水排水", NameEn = "Water supply and drainage" },
        new() { Code = "gas", NameZh = "燃气", NameEn = "Gas" },
        new() { Code = "traffic-police", NameZh = "交警", NameEn = "Traffic police" },
        new() { Code = "environment", NameZh = "生态环境", NameEn = "Environment bureau" },
        new() { Code = "urban-management", NameZh = "城管执法", NameEn = "Urban management enforcement" },
        new() { Code = "housing", NameZh = "住房建设", NameEn = "Housing and construction" },
    ];
}

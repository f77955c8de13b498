using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>Reads the JSON <c>/health</c> answers: the overall status and each check's.</summary>
public static class HealthReport
{
    public static string Status(string json)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("status").GetString()!;
    }

    public static string StatusOf(string json, string check)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("entries").GetProperty(check).GetProperty("status").GetString()!;
    }

    public static string DescriptionOf(string json, string check)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("entries").GetProperty(check).GetProperty("description").GetString() ?? "";
    }
}

namespace CommandCenter.Web.Tests;

/// <summary>
/// A measurement, not a test for every build: it runs only when the environment variable it names is set (to the
/// number of rounds).
/// </summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is null) Skip = $"a benchmark: set {variable}=100 to run it";
    }
}

public static class Percentiles
{
    /// <summary>The nearest-rank percentile of <paramref name="values"/>.</summary>
    public static double Of(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>A benchmark's size from its environment variable, e.g. <c>HUB_BENCH_DEVICES=20000</c>.</summary>
public static class BenchmarkSettings
{
    public static int Int(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value : fallback;
}

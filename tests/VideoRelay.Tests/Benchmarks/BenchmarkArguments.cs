using System.Globalization;

namespace CommandCenter.VideoRelay.Tests.Benchmarks;

/// <summary>"--name value" pairs with defaults.</summary>
internal sealed class BenchmarkArguments(string[] args)
{
    public int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => Value(name);

    private string? Value(string name)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

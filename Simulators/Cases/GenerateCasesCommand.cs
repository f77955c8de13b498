namespace CommandCenter.Simulators.Cases;

/// <summary>
/// <c>--generate-cases N --data DIR [--seed S]</c>: writes N cases over the year before now into the command center's
/// database under DIR (its Storage:DataDirectory), then exits. Run it while the command center is stopped.
/// </summary>
public static class GenerateCasesCommand
{
    public const string Flag = "--generate-cases";

    public static bool IsAsked(string[] args) => args.Contains(Flag);

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (!int.TryParse(Value(Flag), out var count) || count is < 1 or > 10_000_000 || Value("--data") is not { Length: > 0 } data)
        {
            Console.Error.WriteLine($"[sim] usage: {Flag} N --data DIR [--seed S]   (N 1..10000000; DIR the command center's data directory)");
            return 1;
        }
        var seed = int.TryParse(Value("--seed"), out var s) ? s : 12319;
        Directory.CreateDirectory(data);
        var took = await new CaseGenerator(count, data, DateTimeOffset.UtcNow, seed).RunAsync(line => Console.WriteLine($"[sim] {line}"));
        Console.WriteLine($"[sim] generated {count:N0} cases into {Path.GetFullPath(data)} in {took.TotalSeconds:0.0} s");
        return 0;
    }
}

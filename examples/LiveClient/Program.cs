using System.Globalization;
using System.Text;
using CommandCenter.Examples.LiveClient;

// Prints the command center's live events, one line each:
//   dotnet run --project examples/LiveClient -- --url http://127.0.0.1:5080 --key <api key> \
//       [--networks environment,public-security] [--min-severity major] [--area south,west,north,east] [--no-devices]
// The key may also come from the environment variable LIVE_API_KEY (so it stays out of the shell's history).
Console.OutputEncoding = Encoding.UTF8;
var options = Arguments.Parse(args);
if (options.GetValueOrDefault("url") is not { } url || (options.GetValueOrDefault("key") ?? Environment.GetEnvironmentVariable("LIVE_API_KEY")) is not { } key)
{
    Console.Error.WriteLine("usage: LiveClient --url <command center> --key <api key> [--networks a,b] [--min-severity s] [--area s,w,n,e] [--no-devices]");
    return 2;
}
var filter = new LiveFilter(
    options.GetValueOrDefault("networks")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    options.GetValueOrDefault("min-severity"),
    options.GetValueOrDefault("area") is { } area ? Arguments.Area(area) : null,
    Devices: !options.ContainsKey("no-devices"));

await using var client = new LiveClient(new Uri(url), key, filter, e => Console.WriteLine(Describe(e)));
client.Interrupted += e => Console.Error.WriteLine($"stream interrupted ({e.Message}); resubscribing after event {client.LastEventId}");
client.Start();
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;
return 0;

static string Describe(LiveEvent e) => e.Type switch
{
    "subscribed" when e.Resumed == true => $"{e.Id} subscribed: catching up from here",
    "subscribed" => $"{e.Id} subscribed{(e.TooOld == true ? " (last id too old: starting over)" : "")}: {e.Alerts?.Count ?? 0} active alerts, {e.Devices?.Count ?? 0} devices",
    "alert" => $"{e.Id} alert {e.Change} {e.Alert!.Severity} {e.Alert.Network} {e.Alert.Key.Kind}/{e.Alert.Key.DeviceId} {e.Alert.Title}",
    "devices" => $"{e.Id} devices: {e.Devices?.Count ?? 0} changed, {e.Forgotten?.Count ?? 0} removed",
    _ => $"{e.Id} {e.Type}",
};

static class Arguments
{
    /// <summary><c>--name value</c> pairs; a flag without a value (<c>--no-devices</c>) maps to "".</summary>
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[args[i][2..]] = hasValue ? args[++i] : "";
        }
        return options;
    }

    public static BoundingBox Area(string text)
    {
        var v = text.Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return v.Length == 4 ? new BoundingBox(v[0], v[1], v[2], v[3]) : throw new FormatException("--area takes south,west,north,east");
    }
}

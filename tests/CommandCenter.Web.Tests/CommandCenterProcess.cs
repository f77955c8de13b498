using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The real command center as its own process on free loopback ports, started from its build
/// output the way an operator starts it, with a data directory the test owns.
/// </summary>
public sealed class CommandCenterProcess : IAsyncDisposable
{
    public const string ApiKey = "test-api-key";
    /// <summary>A citizen app's key: it may only report (post Open311 requests).</summary>
    public const string ReportKey = "test-report-key";
    /// <summary>A trusted client that may publish for any device: for topics no device could own (bad kinds, odd characters).</summary>
    public const string GatewayUser = "test-bridge";
    public const string GatewayPassword = "test-bridge-password-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public string DataDirectory { get; }
    public int MqttPort { get; }
    /// <summary>The HJ 212-2017 listener for monitors over TCP.</summary>
    public int Hj212Port { get; }
    public Uri BaseAddress { get; }
    public HttpClient Api { get; }

    /// <param name="listenOn">The host of <c>Urls</c>, e.g. <c>0.0.0.0</c>; the tests reach it on 127.0.0.1 either way.</param>
    public CommandCenterProcess(string? dataDirectory = null, IDictionary<string, string>? settings = null, string listenOn = "127.0.0.1")
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("command-center-test-").FullName;
        MqttPort = FreePort();
        Hj212Port = FreePort();
        var httpPort = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        _settings = new Dictionary<string, string>
        {
            ["Urls"] = $"http://{listenOn}:{httpPort}",
            ["Mqtt__BindAddress"] = "127.0.0.1",
            ["Mqtt__Port"] = MqttPort.ToString(),
            ["Hj212__Port"] = Hj212Port.ToString(),
            ["Orleans__SiloPort"] = FreePort().ToString(),
            ["Orleans__GatewayPort"] = FreePort().ToString(),
            ["Storage__DataDirectory"] = DataDirectory,
            ["Api__Keys__tests"] = ApiKey,
            ["Api__Scopes__tests"] = "read operate admin",
            ["Api__Keys__citizen-app"] = ReportKey,
            ["Api__Scopes__citizen-app"] = "report",
            ["Live__PushInterval"] = "00:00:00.100",
            // Test classes sign in many times a minute from 127.0.0.1; the sign-in tests set the real limit.
            ["RateLimits__SignInPerMinute"] = "1000",
            // Likewise for wrong device passwords; DeviceSignInLimitTests sets the real limits.
            ["DeviceSignIn__FailuresPerAddress"] = "100000",
            ["DeviceSignIn__FailuresPerDevice"] = "100000",
            [$"Mqtt__GatewayUsers__{GatewayUser}"] = GatewayPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _settings[key] = value;
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>The host's last warnings and errors, each with its message (the console log writes it on the line below the level).</summary>
    public IEnumerable<string> LastWarnings(int count)
    {
        var lines = Log.Split('\n');
        return lines.Index().Where(l => l.Item.StartsWith("warn:") || l.Item.StartsWith("fail:"))
            .Select(l => l.Item + (l.Index + 1 < lines.Length ? lines[l.Index + 1] : "")).TakeLast(count);
    }

    /// <summary>Resident memory of the running host, from /proc.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process!.Id}/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>CPU time the host has used so far (user + system), from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process!.Id}/stat");
        // Fields after the command's name, which may hold spaces: utime and stime are the 14th and 15th, in 1/100 s.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }

    public Task Start() => Start(healthy: true);

    /// <param name="healthy">
    /// Wait for <c>/health</c> to answer 200; false: for any answer, for a host started to be found unhealthy.
    /// </param>
    public async Task Start(bool healthy)
    {
        var start = new ProcessStartInfo("dotnet", "CommandCenter.Web.dll")
        {
            WorkingDirectory = WebOutputDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _settings) start.Environment[key] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The command center exited with {_process.ExitCode}:\n{Log}");
            try
            {
                var status = (await probe.GetAsync("/health")).StatusCode;
                if (status == HttpStatusCode.OK || !healthy && status == HttpStatusCode.ServiceUnavailable) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The command center did not answer /health within {StartTimeout}:\n{Log}");
    }

    /// <summary>Stops it the way a service manager does: SIGTERM, then wait for a clean exit.</summary>
    public async Task Stop()
    {
        if (_process is null || _process.HasExited) return;
        using (var kill = Process.Start("kill", $"-TERM {_process.Id}")) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>A crash: SIGKILL, no chance to flush anything.</summary>
    public async Task Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>The secret the tests give a device they register.</summary>
    public static string SecretOf(string deviceId) => $"secret-of-{deviceId}-0123456789";

    private readonly HashSet<string> _registered = [];

    /// <summary>Registers a device over the API (once per host process) with <see cref="SecretOf"/> as its secret.</summary>
    public async Task Register(string kind, string id)
    {
        lock (_registered) if (_registered.Contains($"{kind}/{id}")) return;
        using var response = await Api.PutAsync($"/api/devices/{kind}/{id}",
            System.Net.Http.Json.JsonContent.Create(new { secret = SecretOf(id) }));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Registering {kind}/{id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        lock (_registered) _registered.Add($"{kind}/{id}");
    }

    /// <summary>
    /// Publishes with Debian's mosquitto_pub, an MQTT client that is not ours; QoS 1 waits for the broker's PUBACK.
    /// On a device's topic it registers the device and connects as it; on any other topic as the trusted gateway user.
    /// </summary>
    public async Task Publish(string topic, string payload, int qos = 1)
    {
        var parts = topic.Split('/');
        var (user, password) = (GatewayUser, GatewayPassword);
        if (parts.Length >= 4 && parts[0] == "cc" && parts[1] is "handheld" or "sensor" or "camera"
            && System.Text.RegularExpressions.Regex.IsMatch(parts[2], "^[A-Za-z0-9._-]{1,64}$"))
        {
            await Register(parts[1], parts[2]);
            (user, password) = (parts[2], SecretOf(parts[2]));
        }
        await MosquittoPub(["-u", user, "-P", password, "-i", $"test-{Guid.NewGuid():N}"[..20], "-q", qos.ToString(), "-t", topic, "-m", payload]);
    }

    /// <summary>Runs mosquitto_pub against this host with <paramref name="arguments"/>; throws when it fails.</summary>
    public async Task MosquittoPub(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", MqttPort.ToString(), .. arguments]) start.ArgumentList.Add(argument);
        using var publisher = Process.Start(start)!;
        var error = await publisher.StandardError.ReadToEndAsync();
        await publisher.WaitForExitAsync();
        if (publisher.ExitCode != 0) throw new InvalidOperationException($"mosquitto_pub failed ({publisher.ExitCode}): {error}");
    }

    public Task PublishReading(string sensor, double pm25, DateTimeOffset at) =>
        Publish($"cc/sensor/{sensor}/telemetry",
            $$"""{"ts":"{{at:yyyy-MM-ddTHH:mm:ss.fffzzz}}","values":{"a34004":{{pm25}},"a21026":18.5},"lat":36.5478,"lon":104.1731}""");

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static string WebOutputDirectory()
    {
        // tests/CommandCenter.Web.Tests/bin/{Configuration}/net10.0 → CommandCenter.Web/bin/{Configuration}/net10.0
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var output = Path.Combine(root, "CommandCenter.Web", "bin", configuration, testOutput.Name);
        return File.Exists(Path.Combine(output, "CommandCenter.Web.dll"))
            ? output
            : throw new FileNotFoundException($"The command center is not built at {output}");
    }

    // Ports are handed out below Linux's ephemeral range (32768-60999), where the outgoing connections of the tests,
    // the browser and ffmpeg take theirs: a port the OS picked as free could be taken by one of those before the host
    // binds it. Each test process walks its own stretch of the range from a random start.
    private const int LowestPort = 20_000, PortCount = 12_000;
    private static int _nextPort = Random.Shared.Next(PortCount);

    /// <summary>A port free on every address now, that no outgoing connection will take meanwhile.</summary>
    public static int FreePort()
    {
        for (var tried = 0; tried < PortCount; tried++)
        {
            var port = LowestPort + Interlocked.Increment(ref _nextPort) % PortCount;
            try
            {
                using var listener = new TcpListener(IPAddress.Any, port);
                listener.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("No free port below the ephemeral range.");
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process?.Dispose();
        // Kept beside the data for whoever investigates a failure.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "host.log"), Log);
        Api.Dispose();
    }
}

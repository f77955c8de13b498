namespace CommandCenter.Web.Tests;

/// <summary>
/// Debian's victoria-metrics as the history server: its own free port and a fresh data directory, flags that make
/// written samples readable at once (no latency offset, no cache, samples kept whatever their age).
/// </summary>
public sealed class VictoriaMetrics : IAsyncDisposable
{
    public const string Binary = "/usr/bin/victoria-metrics";

    private readonly HttpClient _http;
    private readonly ServerProcess _server;

    public VictoriaMetrics()
    {
        DataDirectory = Directory.CreateTempSubdirectory("victoria-metrics-test-").FullName;
        Port = CommandCenterProcess.FreePort();
        Url = new Uri($"http://127.0.0.1:{Port}");
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        _server = new ServerProcess("victoria-metrics", Binary,
            [$"-storageDataPath={DataDirectory}", $"-httpListenAddr=127.0.0.1:{Port}", "-retentionPeriod=100y",
             "-search.latencyOffset=0s", "-search.disableCache", "-dedup.minScrapeInterval=1ms", "-loggerLevel=WARN"],
            async () => (await _http.GetStringAsync("/health")).Trim() == "OK");
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri Url { get; }
    public string Log => _server.Log;

    /// <summary>Starts it (again, on the same port and data) and waits until /health answers.</summary>
    public Task Start() => _server.Start();

    /// <summary>Makes what was written so far searchable (otherwise it shows after a few seconds).</summary>
    public async Task ForceFlush() => (await _http.GetAsync("/internal/force_flush")).EnsureSuccessStatusCode();

    public Task Stop() => _server.Stop();

    /// <summary>What the server holds for a PromQL selector, as /api/v1/export lines.</summary>
    public async Task<string> Export(string selector)
    {
        await ForceFlush();
        return await _http.GetStringAsync($"/api/v1/export?match[]={Uri.EscapeDataString(selector)}");
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _http.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

using System.Diagnostics;
using System.Text;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Debian's victoria-metrics as the history server: its own free port and a fresh data directory, flags that make
/// written samples readable at once (no latency offset, no cache, samples kept whatever their age).
/// </summary>
public sealed class VictoriaMetrics : IAsyncDisposable
{
    public const string Binary = "/usr/bin/victoria-metrics";

    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;
    private Process? _process;

    public VictoriaMetrics()
    {
        DataDirectory = Directory.CreateTempSubdirectory("victoria-metrics-test-").FullName;
        Port = CommandCenterProcess.FreePort();
        Url = new Uri($"http://127.0.0.1:{Port}");
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri Url { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts it (again, on the same port and data) and waits until /health answers.</summary>
    public async Task Start()
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[
                     $"-storageDataPath={DataDirectory}", $"-httpListenAddr=127.0.0.1:{Port}", "-retentionPeriod=100y",
                     "-search.latencyOffset=0s", "-search.disableCache", "-dedup.minScrapeInterval=1ms", "-loggerLevel=WARN"])
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"victoria-metrics exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await _http.GetStringAsync("/health")).Trim() == "OK") return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
            await Task.Delay(100);
        }
    }

    /// <summary>Makes what was written so far searchable (otherwise it shows after a few seconds).</summary>
    public async Task ForceFlush() => (await _http.GetAsync("/internal/force_flush")).EnsureSuccessStatusCode();

    public async Task Stop()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>What the server holds for a PromQL selector, as /api/v1/export lines.</summary>
    public async Task<string> Export(string selector)
    {
        await ForceFlush();
        return await _http.GetStringAsync($"/api/v1/export?match[]={Uri.EscapeDataString(selector)}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _process?.Dispose();
        _http.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CommandCenter.Web.Tests;

/// <summary>
/// An outside server a test runs (mosquitto, victoria-metrics): started with its output kept for the test's log across
/// restarts, waited for until it answers, killed when the test is done with it.
/// </summary>
public sealed class ServerProcess(string name, string binary, IReadOnlyList<string> arguments, Func<Task<bool>> ready)
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts the server (again) and returns once <c>ready</c> says yes; throws when it exits or stays silent.</summary>
    public async Task Start(TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{name} exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if (await ready()) return;
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not answer within {timeout ?? TimeSpan.FromSeconds(20)}:\n{Log}");
            await Task.Delay(100);
        }
    }

    public async Task Stop()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        // Stopped once (a test's own stop), stopped again by its disposal: the second finds nothing to do.
        _process = null;
    }

    /// <summary>A readiness check for a server that answers on a TCP port.</summary>
    public static Func<Task<bool>> Listening(int port) => async () =>
    {
        using var probe = new TcpClient();
        await probe.ConnectAsync("127.0.0.1", port);
        return true;
    };

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }
}

using System.Diagnostics;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

/// <summary>A relay in a process of its own, so a test can kill it with SIGKILL.</summary>
public static class KilledHost
{
    private const string OnlineLine = "ONLINE";

    /// <summary>Runs in the child: relays one camera until killed.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (workDirectory, cameraId, url) = (args[0], args[1], new Uri(args[2]));
        await using var host = await RelayHost.StartAsync(new CameraDirectory().Add(cameraId, url), workDirectory: workDirectory);
        await host.Relay.EnsureStreamingAsync(cameraId);
        await host.Health.WaitForAsync(cameraId, online: true, TimeSpan.FromSeconds(30));
        Console.WriteLine(OnlineLine);
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>Starts the child: this test assembly run as a program.</summary>
    public static Process Start(string workDirectory, string cameraId, Uri rtspUrl)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(KilledHost).Assembly.Location, "relay-host", workDirectory, cameraId, rtspUrl.ToString() })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitUntilOnlineAsync(Process child, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (await child.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            if (line == OnlineLine) return;
        throw new Xunit.Sdk.XunitException($"The relay host exited (code {(child.HasExited ? child.ExitCode : -1)}) before coming online.");
    }
}

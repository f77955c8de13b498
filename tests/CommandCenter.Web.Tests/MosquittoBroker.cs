using System.Diagnostics;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Debian's mosquitto as the external broker: its own free port, and a configuration written by the test with the
/// password and ACL files a command center exported from its registry.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly ServerProcess _server;

    public MosquittoBroker()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mosquitto-test-").FullName;
        // Started as root, mosquitto drops to its own user, which must still read its files here.
        File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        Port = CommandCenterProcess.FreePort();
        _server = new ServerProcess("mosquitto", "/usr/sbin/mosquitto", ["-c", Path.Combine(Directory, "mosquitto.conf")],
            ServerProcess.Listening(Port));
    }

    public string Directory { get; }
    public int Port { get; }
    public string Log => _server.Log;

    /// <summary>Writes the files and the configuration of the README's example, then starts mosquitto and waits for its port.</summary>
    public async Task Start(string passwordFile, string aclFile)
    {
        await File.WriteAllTextAsync(Path.Combine(Directory, "passwd"), passwordFile);
        await File.WriteAllTextAsync(Path.Combine(Directory, "acl"), aclFile);
        await File.WriteAllTextAsync(Path.Combine(Directory, "mosquitto.conf"), $"""
            listener {Port} 127.0.0.1
            allow_anonymous false
            password_file {Path.Combine(Directory, "passwd")}
            acl_file {Path.Combine(Directory, "acl")}
            max_queued_messages 1000000
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            """);
        await Restart();
    }

    /// <summary>Starts mosquitto (again) with the files written by <see cref="Start"/>.</summary>
    public Task Restart() => _server.Start();

    public Task Stop() => _server.Stop();

    /// <summary>Runs a mosquitto client tool (mosquitto_pub, mosquitto_sub) against this broker; returns its exit code and output.</summary>
    public async Task<(int Code, string Output, string Error)> Client(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(), .. arguments]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        await File.WriteAllTextAsync(Path.Combine(Directory, "mosquitto.log"), Log);
    }
}

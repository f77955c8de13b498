namespace CommandCenter.Web.Tests;

/// <summary>
/// Debian's redis-server for a test's cluster: its own free port and directory, appending every write to its log as
/// a production Redis for the command center would, killed when the test is done with it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ServerProcess _server;

    public RedisServer()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("redis-test-").FullName;
        Port = CommandCenterProcess.FreePort();
        _server = new ServerProcess("redis-server", "/usr/bin/redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", Directory, "--appendonly", "yes", "--save", ""],
            ServerProcess.Listening(Port));
    }

    public string Directory { get; }
    public int Port { get; }
    public string Log => _server.Log;

    /// <summary>The StackExchange.Redis connection string the nodes get as <c>Cluster:Redis</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public Task Start() => _server.Start();

    /// <summary>Kills the server, as a lost Redis host would be lost.</summary>
    public Task Stop() => _server.Stop();

    public async ValueTask DisposeAsync()
    {
        await _server.Stop();
        await File.WriteAllTextAsync(Path.Combine(Directory, "redis.log"), Log);
    }
}

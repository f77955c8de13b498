using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// Debian's PostgreSQL, a throw-away server of the test's own: a fresh cluster in a temporary directory (owned by the
/// postgres user, which PostgreSQL needs when the tests run as root), its own free port and its socket inside that
/// directory. Each test takes a fresh database of it (<see cref="CreateDatabase"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly string Bin = System.IO.Directory.GetDirectories("/usr/lib/postgresql").Max(d => int.Parse(Path.GetFileName(d))) is var v
        ? $"/usr/lib/postgresql/{v}/bin" : "";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("postgres-test-").FullName;
    public int Port { get; } = FreePort();
    private string Data => Path.Combine(Directory, "data");

    public async Task InitializeAsync()
    {
        if (AsRoot) await Run("chown", "postgres:postgres", Directory);
        await Run("chmod", "700", Directory);
        await Postgres("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
        await Start();
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>) and returns once it accepts connections.</summary>
    public Task Start() => Postgres("pg_ctl", "-D", Data, "-l", Path.Combine(Directory, "log"), "-w", "-t", "60",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {Directory}", "start");

    /// <summary>Stops the server at once, as a crash would (no checkpoint).</summary>
    public Task Stop() => Postgres("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ToString();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabase()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        try { await Stop(); } catch (InvalidOperationException) { }
        NpgsqlConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>For <c>await using</c> in a test that starts its own server.</summary>
    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>PostgreSQL refuses to run as root: as root its tools run as the postgres user.</summary>
    private static Task Postgres(string tool, params string[] arguments) => AsRoot
        ? Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. arguments])
        : Run(Path.Combine(Bin, tool), arguments);

    private static async Task Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

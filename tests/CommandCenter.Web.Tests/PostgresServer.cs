using System.Diagnostics;

namespace CommandCenter.Web.Tests;

/// <summary>
/// A throw-away PostgreSQL for a test: initdb into a directory of its own under the temp directory, the server on a
/// free loopback port with its socket in that directory, one database created for the test. PostgreSQL refuses to
/// run as root, so as root every step runs as the postgres user (runuser), which owns the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Database = "commandcenter";

    private readonly string _bin = Binaries();
    private bool _started;

    public PostgresServer()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("postgres-test-").FullName;
        Port = CommandCenterProcess.FreePort();
    }

    public string Directory { get; }
    public int Port { get; }
    private string Data => Path.Combine(Directory, "data");

    /// <summary>The Npgsql connection string the nodes get as <c>Storage:PostgreSql</c>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={Database}";

    public async Task Start()
    {
        if (Environment.UserName == "root") await Run("chown", "postgres:postgres", Directory);
        await AsPostgres("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
        await AsPostgres("pg_ctl", "-D", Data, "-l", Path.Combine(Directory, "postgres.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {Directory} -c fsync=on", "start");
        _started = true;
        await AsPostgres("createdb", "-h", Directory, "-p", Port.ToString(), "-U", "postgres", Database);
    }

    /// <summary>Stops at once, as a crash would: what was committed must be there after the next start.</summary>
    public async Task Stop()
    {
        if (!_started) return;
        _started = false;
        await AsPostgres("pg_ctl", "-D", Data, "-w", "-m", "immediate", "stop");
    }

    private Task AsPostgres(string tool, params string[] arguments) =>
        Environment.UserName == "root"
            ? Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : Run(Path.Combine(_bin, tool), arguments);

    private static async Task Run(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{binary} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }

    /// <summary>The newest installed server's binaries (Debian: /usr/lib/postgresql/15/bin).</summary>
    private static string Binaries() =>
        System.IO.Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
            .FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/setup installs it).");

    public async ValueTask DisposeAsync()
    {
        try { await Stop(); }
        catch (InvalidOperationException) { /* already gone */ }
    }
}

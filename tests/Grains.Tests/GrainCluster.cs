using System.Globalization;
using CommandCenter.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace CommandCenter.Grains.Tests;

/// <summary>A real in-process Orleans cluster over the embedded SQLite store in a directory of the test's own.</summary>
public sealed class GrainCluster : IAsyncDisposable
{
    public TestCluster Cluster { get; }
    public string DataDirectory { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    private GrainCluster(TestCluster cluster, string dataDirectory) => (Cluster, DataDirectory) = (cluster, dataDirectory);

    /// <summary>Setting that starts the silo on a <see cref="FakeTimeProvider"/> at this time (ISO 8601).</summary>
    public const string FakeClockStart = "Test:FakeClockStart";

    /// <summary>The silo's clock, when started with <see cref="FakeClockStart"/>.</summary>
    public FakeTimeProvider FakeClock =>
        (FakeTimeProvider)((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<TimeProvider>(RuleClock.Key);

    /// <summary>The services of one silo (0 is the primary); each silo has its own live board, feed and watch.</summary>
    public IServiceProvider Services(int silo) => ((InProcessSiloHandle)Cluster.Silos[silo]).SiloHost.Services;

    /// <param name="silos">Silos in the cluster, all in this process over the same data directory (a shared store).</param>
    public static async Task<GrainCluster> Start(string? dataDirectory = null, IDictionary<string, string?>? settings = null, short silos = 1)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("grains-test-").FullName;
        var builder = new TestClusterBuilder(silos);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Devices:OfflineAfter"] = "00:00:01",
            ["Devices:OfflineCheckInterval"] = "00:00:00.200",
            ["Live:PushInterval"] = "00:00:00.050",
            ["Alerts:GroupOfflineWindow"] = "00:00:00.200",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()));
        builder.AddSiloBuilderConfigurator<Silo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GrainCluster(cluster, dataDirectory);
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddCommandCenterGrains(silo.Configuration);
            silo.Services.AddSingleton<RegistryRenewals>();
            silo.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<RegistryRenewals>());
            // Rules about time run on a clock the test moves (setting FakeClockStart); Orleans itself
            // stays on real time, or its placement and directory retries would wait for a clock nobody moves.
            if (silo.Configuration[FakeClockStart] is { } start)
                silo.Services.AddKeyedSingleton<TimeProvider>(RuleClock.Key, new FakeTimeProvider(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still not {what} after {timeout}; last: {value}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

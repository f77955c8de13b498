using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Grains.Tests;

/// <summary>A restart with devices known: screens know them at once, grains wake only when needed, storage never blocks a grain.</summary>
public sealed class ColdStartTests
{
    private static readonly Dictionary<string, string?> NobodySilent = new() { ["Devices:OfflineAfter"] = "01:00:00" };

    private static IServiceProvider Services(GrainCluster cluster) =>
        ((Orleans.TestingHost.InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;

    private static async Task<string> WithKnownDevices(params string[] handhelds)
    {
        var first = await GrainCluster.Start(settings: NobodySilent);
        foreach (var id in handhelds)
            await first.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.9));
        await first.DisposeAsync();
        return first.DataDirectory;
    }

    [Fact]
    public async Task After_a_restart_the_board_lists_known_devices_without_waking_their_grains()
    {
        var data = await WithKnownDevices("hh-known-1", "hh-known-2", "hh-known-3");

        await using var second = await GrainCluster.Start(data, NobodySilent);
        var board = Services(second).GetRequiredService<LiveBoard>();
        await GrainCluster.Eventually(() => Task.FromResult(board.Count(DeviceKind.Handheld)), c => c.Total == 3,
            TimeSpan.FromSeconds(10), "listing the three known handhelds");
        Assert.Equal(new DeviceCount(3, 3), board.Count(DeviceKind.Handheld));
        Assert.Equal(new GeoPoint(36.545, 104.138), board.Device(DeviceKind.Handheld, "hh-known-2")!.Position);

        var statistics = await second.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.DoesNotContain(statistics, s => s.GrainType.Contains(nameof(HandheldGrain)) && s.ActivationCount > 0);
    }

    [Fact]
    public async Task A_device_that_stays_silent_after_a_restart_still_goes_offline_with_its_alert()
    {
        var data = await WithKnownDevices("hh-never-again");

        await using var second = await GrainCluster.Start(data);
        var board = Services(second).GetRequiredService<LiveBoard>();
        await GrainCluster.Eventually(() => Task.FromResult(board.Device(DeviceKind.Handheld, "hh-never-again")),
            d => d is { Online: false }, TimeSpan.FromSeconds(15), "offline on the board");
        // Alerted once its district's grouping window has closed.
        await GrainCluster.Eventually(
            () => second.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Handheld, "hh-never-again", "offline").GrainKey).GetCurrent(),
            a => a is not null, TimeSpan.FromSeconds(10), "alerted");
        Assert.False((await second.Grains.GetGrain<IHandheldGrain>("hh-never-again").GetSnapshot()).Online);
    }

    [Fact]
    public async Task A_grain_state_read_waits_off_the_callers_thread_while_the_database_is_locked()
    {
        var data = await WithKnownDevices("hh-locked");
        await using var second = await GrainCluster.Start(data, NobodySilent);
        var storage = Services(second).GetRequiredService<SqliteGrainStorage>();

        // Another connection takes the database for itself: a synchronous read would block here (and fail after the busy timeout).
        var path = Path.Combine(data, "state.db");
        var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        holder.Open();
        SqliteStore.Execute(holder, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE grain_state SET etag = etag WHERE 0; COMMIT;");

        var state = new GrainState<DeviceState>(new DeviceState());
        var read = storage.ReadStateAsync(DeviceWatch.StateName, GrainId.Create("handheld", "hh-locked"), state);
        Assert.False(read.IsCompleted);

        holder.Dispose();
        await read.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(state.RecordExists);
        Assert.NotNull(state.State);
        Assert.True(state.State.Online);
        Assert.Equal(new GeoPoint(36.545, 104.138), state.State.Position);
    }
}

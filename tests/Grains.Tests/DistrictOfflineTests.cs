using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Districts;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CommandCenter.Grains.Tests;

public sealed class DistrictOfflineTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?>
    {
        ["Alerts:GroupOfflineAbove"] = "10",
        ["Alerts:GroupOfflineWindow"] = "00:00:01",
    });
    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IServiceProvider Silo => ((InProcessSiloHandle)_cluster.Cluster.Primary!).SiloHost.Services;

    private Task<Alert?> AlertOf(string deviceId, string type) =>
        _cluster.Grains.GetGrain<IAlertGrain>(new AlertKey(DeviceKind.Handheld, deviceId, type).GrainKey).GetCurrent();

    [Fact]
    public async Task Thirty_handhelds_of_one_district_going_silent_raise_one_grouped_alert_that_clears_when_they_are_back()
    {
        // 平川区: found from the position, as for a device the registry gives no district.
        var place = new GeoPoint(36.73, 104.83);
        var ids = Enumerable.Range(0, 30).Select(i => $"pc-{i:00}").ToList();
        await Task.WhenAll(ids.Select(id => _cluster.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, place, 0.9))));

        var group = await GrainCluster.Eventually(() => AlertOf("district-620403", SystemAlertTypes.OfflineDistrict),
            a => a is { Value: 30 }, TimeSpan.FromSeconds(20), "grouped over all 30");
        Assert.Contains("平川区 620403", group!.Title);
        Assert.Equal("devices", group.Unit);
        Assert.Equal(Network.CityManagement, group.Network);
        var offline = await _cluster.Grains.GetGrain<IDistrictOfflineGrain>("handheld/620403").GetOffline();
        Assert.Equal(ids, offline.Grouped);
        Assert.Empty(offline.Single);
        foreach (var id in ids) Assert.Null(await AlertOf(id, SystemAlertTypes.Offline));

        await Task.WhenAll(ids.Select(id => _cluster.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, place, 0.9))));
        await GrainCluster.Eventually(() => AlertOf("district-620403", SystemAlertTypes.OfflineDistrict), a => a is null, TimeSpan.FromSeconds(10), "cleared");
        var store = Silo.GetRequiredService<AlertStore>();
        Assert.Equal(AlertState.Cleared, (await store.FindAsync(group.Id))!.State);
    }

    [Theory]
    [InlineData(1, SystemAlertTypes.Offline)]
    [InlineData(30, SystemAlertTypes.OfflineDistrict)]
    public async Task Offline_alerts_open_when_the_host_stopped_clear_when_the_devices_come_back_after_a_restart(int devices, string alertType)
    {
        var place = new GeoPoint(36.73, 104.83);
        var ids = Enumerable.Range(0, devices).Select(i => $"rs-{devices}-{i:00}").ToList();
        await Task.WhenAll(ids.Select(id => _cluster.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, place, 0.9))));
        var alertOf = alertType == SystemAlertTypes.Offline ? ids[0] : "district-620403";
        await GrainCluster.Eventually(() => AlertOf(alertOf, alertType), a => a is not null && (devices == 1 || a.Value == devices),
            TimeSpan.FromSeconds(20), "alerted before the restart");
        var data = _cluster.DataDirectory;
        await _cluster.DisposeAsync();

        // No device grain wakes at start-up: the districts learn their offline devices from storage.
        _cluster = await GrainCluster.Start(data, new Dictionary<string, string?>
        {
            ["Alerts:GroupOfflineAbove"] = "10",
            ["Devices:OfflineAfter"] = "01:00:00",
        });
        await Task.WhenAll(ids.Select(id => _cluster.Grains.GetGrain<IHandheldGrain>(id).Report(new HandheldFix(DateTimeOffset.UtcNow, place, 0.9))));
        await GrainCluster.Eventually(() => AlertOf(alertOf, alertType), a => a is null, TimeSpan.FromSeconds(10), "cleared after the restart");
    }

    [Fact]
    public async Task A_district_from_the_registry_wins_over_the_position()
    {
        var handheld = _cluster.Grains.GetGrain<IHandheldGrain>("hh-registered");
        await handheld.SetDistrict("620422");
        await handheld.Report(new HandheldFix(DateTimeOffset.UtcNow, new GeoPoint(36.545, 104.138), 0.9));
        await GrainCluster.Eventually(() => AlertOf("hh-registered", SystemAlertTypes.Offline), a => a is not null, TimeSpan.FromSeconds(10), "alerted");
        var offline = await _cluster.Grains.GetGrain<IDistrictOfflineGrain>("handheld/620422").GetOffline();
        Assert.Equal(["hh-registered"], offline.Single);
    }

    [Fact]
    public async Task A_read_of_the_store_runs_on_the_thread_pool_never_on_the_calling_scheduler()
    {
        var store = Silo.GetRequiredService<SqliteStore>();
        // A grain's turn runs on a scheduler of its own that lets one task run at a time, as this one does.
        var exclusive = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var seen = await Task.Factory.StartNew(
            () => store.ReadAsync(_ => (Scheduler: TaskScheduler.Current, Pool: Thread.CurrentThread.IsThreadPoolThread)),
            CancellationToken.None, TaskCreationOptions.None, exclusive).Unwrap();
        Assert.Same(TaskScheduler.Default, seen.Scheduler);
        Assert.True(seen.Pool);
    }
}

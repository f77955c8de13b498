using CommandCenter.Grains.Devices;
using CommandCenter.Web.Live;

namespace CommandCenter.Web.Tests;

/// <summary>The queue of device changes waiting for a screen's map: fair when more change than a push may carry.</summary>
public sealed class PendingDevicesTests
{
    private static DeviceSnapshot Handheld(string id, double lat) =>
        new DeviceState { Online = true, Position = new GeoPoint(lat, 104.138) }.SnapshotOf(DeviceKind.Handheld, id, []);

    [Fact]
    public void When_every_device_changes_before_each_push_every_one_still_reaches_the_map_within_its_turn()
    {
        var pending = new PendingDevices();
        var ids = Enumerable.Range(0, 20).Select(i => $"hh-{i:00}").ToList();
        var sent = new HashSet<string>();
        for (var push = 0; push < 4; push++)
        {
            // All twenty report again between two pushes, as a busy fleet does; a push carries five.
            foreach (var id in ids) pending.Add($"handheld/{id}", Handheld(id, 36.5 + push / 100.0));
            foreach (var (key, _) in pending.Take(5)) sent.Add(key);
        }
        Assert.Equal(20, sent.Count);
    }

    [Fact]
    public void A_device_changing_again_is_sent_once_with_its_latest_snapshot_and_a_forgotten_one_as_null()
    {
        var pending = new PendingDevices();
        pending.Add("handheld/a", Handheld("a", 36.50));
        pending.Add("handheld/b", Handheld("b", 36.50));
        pending.Add("handheld/a", Handheld("a", 36.55));
        pending.Add("handheld/b", null);

        var taken = pending.Take(10);
        Assert.Equal(["handheld/a", "handheld/b"], taken.Select(t => t.Key));
        Assert.Equal(36.55, taken[0].Value!.Position!.Value.Lat);
        Assert.Null(taken[1].Value);
        Assert.Equal(0, pending.Count);
        Assert.Empty(pending.Take(10));
    }
}

using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

[Collection(SharedHost.Name)]
public sealed class DeviceCountTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task The_counts_grow_by_a_new_device_once_its_grain_has_its_first_report()
    {
        var before = await Handhelds();
        var id = $"count-hh-{Guid.NewGuid():N}"[..20];
        // QoS 1: acknowledged once the grain has the report, which is when it publishes to the board.
        await Host.Publish($"cc/handheld/{id}/telemetry",
            $$"""{"ts":"{{DateTimeOffset.UtcNow:O}}","lat":36.5412,"lon":104.1301,"battery":0.64}""");

        // Other tests share the host and may add devices too: at least this one more, online.
        var after = await Waiting.Until(Handhelds, counts => counts.Total > before.Total, TimeSpan.FromSeconds(10),
            "the new handheld in the counts");
        Assert.InRange(after.Online, 1, after.Total);
        var all = await Host.Api.GetFromJsonAsync<JsonElement>("/api/devices/counts");
        Assert.Equal(["handheld", "sensor", "camera"], all.EnumerateObject().Select(kind => kind.Name));
    }

    private async Task<(int Online, int Total)> Handhelds()
    {
        var handheld = (await Host.Api.GetFromJsonAsync<JsonElement>("/api/devices/counts")).GetProperty("handheld");
        return (handheld.GetProperty("online").GetInt32(), handheld.GetProperty("total").GetInt32());
    }
}

using System.Text.Json;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Pollution;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Configuration;

namespace CommandCenter.Grains.Tests;

public sealed class PollutionOptionsTests
{
    private static PollutionOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new PollutionOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(PollutionOptions.Section).Bind(options);
        return options;
    }

    [Fact]
    public void Configured_rules_override_the_built_in_profile_setting_by_setting()
    {
        var options = Bind(new()
        {
            ["Pollution:Limits:a34004"] = "50",
            ["Pollution:Profiles:ambient:Limits:a21026:Hour24"] = "120",
            ["Pollution:Profiles:source:Limits:a34013:Instant"] = "10",
            ["Pollution:Profiles:source:Limits:a34013:RaiseAfterReadings"] = "5",
            ["Pollution:Profiles:source:Limits:a34013:Hour1"] = "0",
        });
        // The setting from before profiles still sets the ambient immediate limit; the 24-h limit stays.
        Assert.Equal((50.0, 75.0), (options.RuleOf("ambient", "a34004")!.Instant!.Value, options.RuleOf("ambient", "a34004")!.LimitOf(AveragingPeriod.Hour24)!.Value));
        var so2 = options.RuleOf("ambient", "a21026")!;
        Assert.Equal((500.0, 500.0, 120.0), (so2.Instant!.Value, so2.LimitOf(AveragingPeriod.Hour1)!.Value, so2.LimitOf(AveragingPeriod.Hour24)!.Value));
        var dust = options.RuleOf("source", "a34013")!;
        Assert.Equal((10.0, 5, "mg/m³", "GB 13223-2011"), (dust.Instant!.Value, dust.RaiseAfterReadings!.Value, dust.Unit, dust.Standard));
        Assert.Null(dust.LimitOf(AveragingPeriod.Hour1));
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void A_new_profile_can_be_configured_and_bad_rules_are_named()
    {
        var options = Bind(new()
        {
            ["Pollution:Profiles:kiln:Standard"] = "GB 9078-1996",
            ["Pollution:Profiles:kiln:Limits:a34013:Instant"] = "-1",
            ["Pollution:DefaultProfile"] = "nowhere",
        });
        Assert.True(options.HasProfile("kiln"));
        Assert.False(options.HasAqi("kiln"));
        Assert.Contains(options.Problems(), p => p.Contains("Profiles:kiln:Limits:a34013"));
        Assert.Contains(options.Problems(), p => p.Contains("DefaultProfile"));
    }

    [Fact]
    public async Task A_silo_with_bad_rules_does_not_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GrainCluster.Start(settings: new Dictionary<string, string?>
        {
            ["Pollution:Profiles:source:Limits:w01001:InstantMin"] = "10",
        }));
        Assert.Contains("InstantMin must be below Instant", error.ToString());
    }

    [Fact]
    public void Alerts_stored_before_peaks_existed_still_load()
    {
        var alert = new Alert("a1", new AlertKey(DeviceKind.Sensor, "s1", "exceed-a34004"), Network.Environment, AlertSeverity.Major,
            AlertState.ActiveUnacknowledged, "PM2.5", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 3, 120, 75, "µg/m³",
            null, null, null, null, [], Peak: 130, PeakAt: DateTimeOffset.UnixEpoch);
        var json = JsonSerializer.SerializeToNode(alert, SqliteGrainStorage.Json)!.AsObject();
        Assert.True(json.Remove("peak") && json.Remove("peakAt"));
        var old = JsonSerializer.Deserialize<Alert>(json.ToJsonString(), SqliteGrainStorage.Json)!;
        Assert.Equal(alert with { Peak = null, PeakAt = null }, old with { Cameras = alert.Cameras });
    }
}

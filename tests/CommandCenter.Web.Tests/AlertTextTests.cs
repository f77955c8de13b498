using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Web.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Web.Tests;

/// <summary>Every alert type the command center raises reads in both languages from its parts, whatever its stored title.</summary>
public sealed class AlertTextTests
{
    private const string Stored = "stored title";
    private readonly AlertText _text = new(Localizers.Of<AlertText>(), Localizers.Labels());

    private string Title(DeviceKind kind, string device, string type, double? value = null, double? limit = null, string? unit = null,
        string stored = Stored) => _text.Title(new AlertKey(kind, device, type), stored, value, limit, unit);

    [Theory]
    [InlineData("zh-CN", "监测站 s-01：细颗粒物 PM2.5 24 小时均值 96.4 µg/m³，超过限值 75 µg/m³")]
    [InlineData("en", "Sensor s-01: PM2.5 24-h average 96.4 µg/m³ above the limit 75 µg/m³")]
    public void An_averaged_exceedance(string culture, string expected)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(expected, Title(DeviceKind.Sensor, "s-01", "exceed-a34004-24h", 96.44, 75, "µg/m³"));
    }

    [Theory]
    [InlineData("zh-CN", "监测站 s-01：二氧化硫 SO2 612 µg/m³，高于限值 500 µg/m³", "监测站 w-02：pH 值 5.2，低于下限 6")]
    [InlineData("en", "Sensor s-01: SO2 612 µg/m³ above the limit 500 µg/m³", "Sensor w-02: pH 5.2 below the limit 6")]
    public void An_immediate_exceedance_above_or_below_its_limit(string culture, string above, string below)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(above, Title(DeviceKind.Sensor, "s-01", "exceed-a21026", 612, 500, "µg/m³"));
        Assert.Equal(below, Title(DeviceKind.Sensor, "w-02", "exceed-w01001", 5.2, 6, ""));
    }

    [Theory]
    [InlineData("zh-CN", "监测站 s-01：臭氧 O3 超标", "监测站 s-01：x99 超标")]
    [InlineData("en", "Sensor s-01: O3 beyond its limit", "Sensor s-01: x99 beyond its limit")]
    public void An_exceedance_without_its_value_or_of_an_unknown_pollutant(string culture, string known, string unknown)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(known, Title(DeviceKind.Sensor, "s-01", "exceed-a05024-8h"));
        Assert.Equal(unknown, Title(DeviceKind.Sensor, "s-01", "exceed-x99"));
    }

    [Theory]
    [InlineData("zh-CN", "手持终端 hh-7 离线", "监测站 s-2 离线", "摄像头 cam-3 离线", "摄像头 cam-3：视频流中断")]
    [InlineData("en", "Handheld hh-7 offline", "Sensor s-2 offline", "Camera cam-3 offline", "Camera cam-3: video stream lost")]
    public void Offline_and_stream_lost(string culture, string handheld, string sensor, string camera, string stream)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(handheld, Title(DeviceKind.Handheld, "hh-7", SystemAlertTypes.Offline));
        Assert.Equal(sensor, Title(DeviceKind.Sensor, "s-2", SystemAlertTypes.Offline));
        Assert.Equal(camera, Title(DeviceKind.Camera, "cam-3", SystemAlertTypes.Offline));
        Assert.Equal(stream, Title(DeviceKind.Camera, "cam-3", SystemAlertTypes.StreamLost));
    }

    [Theory]
    [InlineData("zh-CN", "白银区：1,204 台手持终端离线", "未知区域：多台摄像头离线")]
    [InlineData("en", "Baiyin District: 1,204 handhelds offline", "Unknown district: cameras offline")]
    public void A_district_going_dark(string culture, string counted, string uncounted)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(counted, Title(DeviceKind.Handheld, "district-620402", SystemAlertTypes.OfflineDistrict, 1204, null, "devices"));
        Assert.Equal(uncounted, Title(DeviceKind.Camera, "district-unknown", SystemAlertTypes.OfflineDistrict));
    }

    [Theory]
    [InlineData("zh-CN", "问题上报：inspector (hh-1): 井盖缺失")]
    [InlineData("en", "Problem reported by inspector (hh-1): 井盖缺失")]
    public void An_inspectors_report_keeps_what_was_reported(string culture, string expected)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(expected, Title(DeviceKind.Handheld, "hh-1", "report-0193", stored: "问题上报 Problem reported by inspector (hh-1): 井盖缺失"));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void A_devices_own_event_and_a_title_of_another_shape_read_as_stored(string culture)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal("SOS pressed", Title(DeviceKind.Handheld, "hh-1", "sos", stored: "SOS pressed"));
        Assert.Equal("odd", Title(DeviceKind.Handheld, "hh-1", "report-1", stored: "odd"));
        // The stored title stays the alert's: only the display changes.
        Assert.Equal("offline-district", Title(DeviceKind.Handheld, "hh-1", SystemAlertTypes.OfflineDistrict, stored: "offline-district"));
    }

    [Theory]
    [InlineData("zh-CN", "1 个摄像头可见", "2 个摄像头可见", "峰值 182 µg/m³（2026-03-01 14:03:07）")]
    [InlineData("en", "1 camera sees this", "2 cameras see this", "peak 182 µg/m³ (2026-03-01 14:03:07)")]
    public void Cameras_that_see_an_alert_and_its_peak(string culture, string one, string two, string peak)
    {
        using var _ = Localizers.Culture(culture);
        Assert.Equal(one, _text.CamerasSee(1));
        Assert.Equal(two, _text.CamerasSee(2));
        var time = new CityTime(Options.Create(new DisplayOptions()), new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero)));
        var at = new DateTimeOffset(2026, 3, 1, 6, 3, 7, TimeSpan.Zero);
        var alert = new Alert("a-1", new AlertKey(DeviceKind.Sensor, "s-01", "exceed-a34004"), Network.Environment, AlertSeverity.Minor,
            AlertState.ActiveUnacknowledged, Stored, null, at, at, 3, 90, 75, "µg/m³", null, null, null, null, Peak: 182, PeakAt: at);
        Assert.Equal(peak, _text.Peak(alert, time));
        Assert.Null(_text.Peak(alert with { Peak = null }, time));
    }
}

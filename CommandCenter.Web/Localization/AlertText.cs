using System.Globalization;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Districts;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Localization;

/// <summary>
/// An alert's title in the current UI culture, built at display time from its parts (kind, device, type, pollutant,
/// value, limit, unit), so an alert stored last year reads in either language. The stored <see cref="Alert.Title"/>
/// stays what API and hub clients read, and is shown as it is for a type the command center does not build (a
/// device's own event carries its own text).
/// </summary>
public sealed class AlertText(IStringLocalizer<AlertText> text, Labels labels)
{
    /// <summary>The phone page's report alerts: "report-{id}", titled "问题上报 Problem reported by {who}: {text}".</summary>
    private const string ReportPrefix = Phone.PhoneEndpoints.ReportAlertPrefix;
    private const string ReportMarker = "Problem reported by ";

    public string Title(Alert alert) => Title(alert.Key, alert.Title, alert.Value, alert.Limit, alert.Unit);

    public string Title(AlertKey key, string storedTitle, double? value, double? limit, string? unit)
    {
        var type = key.Type;
        if (type == SystemAlertTypes.Offline)
            return Format("Offline", labels.Kind(key.Kind), key.DeviceId) ?? storedTitle;
        if (type == SystemAlertTypes.StreamLost)
            return Format("StreamLost", key.DeviceId) ?? storedTitle;
        if (DistrictOfflineKeys.TryParseGroup(key, out var district))
            return (value is { } count
                ? Format("OfflineDistrict", labels.District(district), Number(count, "N0"), labels.Kinds(key.Kind))
                : Format("OfflineDistrict.Unknown", labels.District(district), labels.Kinds(key.Kind))) ?? storedTitle;
        if (type.StartsWith(SystemAlertTypes.ExceedancePrefix, StringComparison.Ordinal))
            return Exceedance(key, type[SystemAlertTypes.ExceedancePrefix.Length..], value, limit, unit) ?? storedTitle;
        if (type.StartsWith(ReportPrefix, StringComparison.Ordinal))
        {
            var at = storedTitle.IndexOf(ReportMarker, StringComparison.Ordinal);
            if (at >= 0) return Format("Report", storedTitle[(at + ReportMarker.Length)..]) ?? storedTitle;
        }
        return storedTitle;
    }

    /// <summary>"峰值 182 µg/m³（14:03:07）" beside the current value, for an alert whose severity follows its measurement.</summary>
    public string? Peak(Alert alert, CityTime time) => alert.Peak is { } peak && alert.PeakAt is { } at
        ? Format("Peak", Measure(peak, "0.##", alert.Unit), time.Format(at))
        : null;

    /// <summary>"1 camera sees this" / "3 cameras see this" / "3 个摄像头可见".</summary>
    public string CamerasSee(int count) =>
        Format(count == 1 ? "CamerasSee.One" : "CamerasSee.Many", Number(count, "N0")) ?? count.ToString(CultureInfo.CurrentCulture);

    private string? Exceedance(AlertKey key, string ruleKey, double? value, double? limit, string? unit)
    {
        ExceedanceRules.TryParse(ruleKey, out var code, out var period);
        var kind = labels.Kind(key.Kind);
        var pollutant = labels.Pollutant(code);
        if (value is not { } v || limit is not { } l)
            return Format("Exceedance.NoValue", kind, key.DeviceId, pollutant);
        var u = unit ?? Pollutants.UnitOf(code);
        if (period is { } p)
            return Format("Exceedance.Average", kind, key.DeviceId, pollutant, labels.Period(p), Measure(v, "0.#", u), Measure(l, "0.##", u));
        // The immediate rule may have a lower limit (pH, dissolved oxygen): a value under it is below, not above.
        return Format(v < l ? "Exceedance.Instant.Below" : "Exceedance.Instant.Above", kind, key.DeviceId, pollutant,
            Measure(v, "0.##", u), Measure(l, "0.##", u));
    }

    private string? Format(string key, params object[] args)
    {
        var found = text[key, args];
        return found.ResourceNotFound ? null : found.Value;
    }

    /// <summary>"96.4 µg/m³", or the number alone for a quantity without a unit (pH).</summary>
    private static string Measure(double value, string format, string? unit) =>
        string.IsNullOrEmpty(unit) ? Number(value, format) : $"{Number(value, format)} {unit}";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.CurrentCulture);
}

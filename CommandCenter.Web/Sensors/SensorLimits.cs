using System.Globalization;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Sensors;

/// <summary>The limits a sensor's readings are judged on: its profile's rule for each pollutant, as text for officers.</summary>
public sealed class SensorLimits(DeviceRegistry registry, IOptions<PollutionOptions> pollution)
{
    public string ProfileOf(string sensorId) => pollution.Value.ProfileOf(registry.Find(sensorId)?.Profile);

    public PollutantRule? RuleOf(string sensorId, string code) => pollution.Value.RuleOf(ProfileOf(sensorId), code);

    /// <summary>
    /// E.g. "每次读数 75 · 24 h 75 µg/m³ (GB 3095-2012)" / "each reading 75 · …"; "—" without a rule. The screen's
    /// own localizer names the kinds of limit (this service is shared by every screen, whatever its language).
    /// </summary>
    public string Text(string sensorId, string code, IStringLocalizer<SensorText> text)
    {
        if (RuleOf(sensorId, code) is not { } rule) return "—";
        var parts = new List<string>();
        void Add(string label, double? limit)
        {
            if (limit is > 0 and var value) parts.Add($"{label} {value.ToString("0.##", CultureInfo.InvariantCulture)}");
        }
        Add(text["Limit.Instant"], rule.Instant);
        Add(text["Limit.InstantMin"], rule.InstantMin);
        Add("1 h", rule.Hour1);
        Add("8 h", rule.Hour8);
        Add("24 h", rule.Hour24);
        if (parts.Count == 0) return "—";
        return $"{string.Join(" · ", parts)} {rule.Unit ?? Pollutants.UnitOf(code)} ({rule.Standard})";
    }
}

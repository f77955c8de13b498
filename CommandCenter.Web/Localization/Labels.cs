using System.Globalization;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Localization;

/// <summary>
/// The names every screen shares (severities, states, networks, device kinds, levels, districts, pollutants) in the
/// current UI culture, from Resources/Localization/Labels.resx. A name missing from the resources reads as the API's name.
/// </summary>
public sealed class Labels(IStringLocalizer<Labels> text)
{
    public string Severity(AlertSeverity severity) => Get($"Severity.{severity}", severity.Name());
    public string State(AlertState state) => Get($"AlertState.{state}", state.ToString());
    public string Network(Network network) => Get($"Network.{network}", network.Name());
    public string Kind(DeviceKind kind) => Get($"Kind.{kind}", kind.Name());
    /// <summary>The plural, as in "12 cameras offline"; Chinese has none.</summary>
    public string Kinds(DeviceKind kind) => Get($"Kinds.{kind}", kind.Name() + "s");
    public string Online(bool online) => online ? Get("Online", "online") : Get("Offline", "offline");
    public string IncidentLevel(int level) => Get($"IncidentLevel.{level}", level.ToString(CultureInfo.InvariantCulture));
    public string IncidentType(IncidentType type) => Get($"IncidentType.{type}", type.ToString());
    public string IncidentState(IncidentState state) => Get($"IncidentState.{state}", state.ToString());
    public string UnitStatus(UnitStatus status) => Get($"UnitStatus.{status}", status.ToString());
    public string CaseState(CaseState state) => Get($"CaseState.{state}", state.ToString());
    public string CaseSource(CaseSource source) => Get($"CaseSource.{source}", source.ToString());
    public string CaseType(CaseType type) => Get($"CaseType.{type}", type.ToString());
    public string CaseStep(CaseStep step) => Get($"CaseStep.{step}", step.ToString());
    /// <summary>HJ 633 level 1..6: 优, 良, 轻度污染 … / Good, Moderate, Lightly polluted ….</summary>
    public string AqiLevel(int level) => Get($"Aqi.{level}", level.ToString(CultureInfo.InvariantCulture));
    public string Period(AveragingPeriod period) => Get($"Period.{period}", ExceedanceRules.Label(period));
    /// <summary>A county-level district by its GB/T 2260 code; an unknown code reads as itself.</summary>
    public string District(string code) => Get($"District.{code}", code);

    /// <summary>"细颗粒物 PM2.5" / "PM2.5 fine particles" for an HJ 212 code; an unknown code by its known name or itself.</summary>
    public string Pollutant(string code) => Get($"Pollutant.{code}", Pollutants.NameOf(code));

    /// <summary>A name kept in both languages in the data itself (case categories, departments): the current culture's.</summary>
    public string Name(string chinese, string english) => IsChinese ? chinese : english;

    /// <summary>Whether this screen speaks Chinese (the default); English otherwise. Asked of the resources, so it follows the screen.</summary>
    public bool IsChinese => text["Language"].Value == "zh";

    private string Get(string key, string fallback)
    {
        var found = text[key];
        return found.ResourceNotFound ? fallback : found.Value;
    }
}

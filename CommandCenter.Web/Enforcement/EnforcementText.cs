using CommandCenter.Grains.Pollution;
using CommandCenter.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Enforcement;

/// <summary>Names the enforcement pages' strings: Resources/Enforcement/EnforcementText.resx (zh-CN) and EnforcementText.en.resx.</summary>
public sealed class EnforcementText;

/// <summary>The enforcement names shared by the queue, the evidence sheet and the CSV export, in the screen's language.</summary>
public static class EnforcementLabels
{
    /// <summary>"24 小时均值" / "24-h average", or "连续读数" / "readings in a row" for the immediate rule.</summary>
    public static string Rule(this IStringLocalizer<EnforcementText> text, Labels labels, string rule) =>
        ExceedanceRules.TryParse(rule, out _, out var period) && period is { } p
            ? text["Rule.Average", labels.Period(p)]
            : text["Rule.Readings"];

    public static string Decision(this IStringLocalizer<EnforcementText> text, DecisionKind kind) => text[$"Decision.{kind}"];
}

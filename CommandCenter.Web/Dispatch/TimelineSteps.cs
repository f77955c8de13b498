using System.Text.RegularExpressions;
using CommandCenter.Grains.Dispatch;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Dispatch;

/// <summary>
/// A unit's step on an incident's timeline in the screen's language. The grains store each step as an English
/// sentence ("hh-007 accepted the task: on my way"); the known sentences are recognised here and said again from
/// Resources/Dispatch/TimelineText.resx, with the unit and any note kept as they were. A sentence not recognised
/// (from a newer version, or typed by hand) is shown as stored rather than lost.
/// </summary>
public sealed partial class TimelineSteps(IStringLocalizer<TimelineSteps> text)
{
    /// <summary>The fixed phrases after the unit's id, as the handheld grain writes them, and their keys.</summary>
    private static readonly (string Phrase, string Key)[] Phrases =
    [
        ("accepted the task", "Accepted"),
        ("done, available", "Done"),
        ("en route", "EnRoute"),
        ("on scene", "OnScene"),
        ("returning", "Returning"),
        ("unavailable", "Unavailable"),
        ("available", "Available"),
        ("acknowledged", "Accepted"),
        ("en-route", "EnRoute"),
        ("on-scene", "OnScene"),
    ];

    public string Text(TimelineEntry step)
    {
        var what = step.What;
        if (what.StartsWith("dispatched ", StringComparison.Ordinal))
            return text["Dispatched", what["dispatched ".Length..]];
        if (NoAnswer().Match(what) is { Success: true } silent)
            return text["NoAnswer", silent.Groups["unit"].Value, silent.Groups["sends"].Value];
        if (step.Unit is not { } unit || !what.StartsWith(unit + " ", StringComparison.Ordinal)) return what;
        var rest = what[(unit.Length + 1)..];
        if (rest.StartsWith("rejected the task", StringComparison.Ordinal) && rest.EndsWith(ChooseAnother, StringComparison.Ordinal))
            return text["Rejected", unit, Note(rest["rejected the task".Length..^ChooseAnother.Length])];
        foreach (var (phrase, key) in Phrases)
        {
            if (!rest.StartsWith(phrase, StringComparison.Ordinal)) continue;
            var after = rest[phrase.Length..];
            if (after.Length == 0 || after.StartsWith(": ", StringComparison.Ordinal))
                return text[key, unit, Note(after)];
        }
        return what;
    }

    private const string ChooseAnother = ": choose another unit";

    /// <summary>": the inspector's note" as stored, in the language's own punctuation; nothing without one.</summary>
    private string Note(string stored) =>
        stored.StartsWith(": ", StringComparison.Ordinal) ? text["Note", stored[2..]] : "";

    [GeneratedRegex(@"^no answer from (?<unit>\S+) after (?<sends>\d+) sends: choose another unit$")]
    private static partial Regex NoAnswer();
}

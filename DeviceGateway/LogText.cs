using System.Text;

namespace CommandCenter.DeviceGateway;

/// <summary>
/// Makes text a device chose (topic, client id, payload text) safe for one log line: control and
/// line-breaking characters become visible escapes, so a device cannot forge or split log lines,
/// and the length is capped, so it cannot fill the log.
/// </summary>
public static class LogText
{
    public const int DefaultMaxLength = 128;

    public static string Safe(string? text, int maxLength = DefaultMaxLength)
    {
        if (text is null) return "(none)";
        var shown = text.Length <= maxLength ? text : text[..maxLength];
        if (!shown.Any(NeedsEscape) && shown.Length == text.Length) return text;
        var safe = new StringBuilder(shown.Length + 16);
        foreach (var c in shown)
        {
            if (NeedsEscape(c)) safe.Append($"\\u{(int)c:x4}");
            else safe.Append(c);
        }
        if (shown.Length < text.Length) safe.Append($"…(+{text.Length - shown.Length})");
        return safe.ToString();
    }

    /// <summary>
    /// C0/C1 controls (CR, LF, NUL, ESC…), Unicode line and paragraph separators, bidirectional
    /// overrides that reorder what a reader sees, and lone surrogates.
    /// </summary>
    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';
}

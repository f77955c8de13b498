namespace CommandCenter.Grains.Cases;

/// <summary>The limits on what a person may write into a case, shared by the intake, the grain and the API.</summary>
public static class CaseChecks
{
    /// <returns>Why the text is refused, or null.</returns>
    public static string? Text(string? text, int max, string what, bool required = false) =>
        string.IsNullOrWhiteSpace(text) ? required ? $"{what} is required" : null
        : text.Length > max ? $"{what} is longer than {max} characters" : null;

    public static string? Media(IReadOnlyList<string>? media, CaseOptions options)
    {
        if (media is null) return null;
        if (media.Count > options.MaxMedia) return $"at most {options.MaxMedia} media URLs";
        foreach (var url in media)
        {
            if (string.IsNullOrWhiteSpace(url) || url.Length > options.MaxMediaUrlLength) return $"a media URL is empty or longer than {options.MaxMediaUrlLength} characters";
            // Absolute http(s), or a path on this server (an evidence snapshot, an upload).
            var local = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal);
            if (!local && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                return $"media URL '{Cut(url)}' is neither an http(s) URL nor a path on this server";
        }
        return null;
    }

    private static string Cut(string text) => text.Length > 60 ? text[..60] + "…" : text;
}

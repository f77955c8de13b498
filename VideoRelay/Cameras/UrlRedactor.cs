using System.Text.RegularExpressions;

namespace CommandCenter.VideoRelay.Cameras;

/// <summary>Removes credentials from URLs and from text (such as ffmpeg's stderr) before it is logged or shown.</summary>
public static partial class UrlRedactor
{
    private const string Mask = "***";

    /// <summary>The URL without its user-info part.</summary>
    public static string ForLog(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString();

    /// <summary>
    /// Masks the user-info of every URL in <paramref name="text"/>, and any appearance of the credentials of
    /// <paramref name="knownUrl"/>, in case a tool prints them decoded or on their own.
    /// </summary>
    public static string Redact(string text, Uri? knownUrl = null)
    {
        var redacted = UserInfoInUrl().Replace(text, "${scheme}" + Mask + "@");
        if (knownUrl is null || string.IsNullOrEmpty(knownUrl.UserInfo)) return redacted;
        foreach (var secret in Secrets(knownUrl))
            redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
        return redacted;
    }

    private static IEnumerable<string> Secrets(Uri url)
    {
        var userInfo = url.UserInfo;
        var parts = userInfo.Split(':', 2);
        IEnumerable<string> candidates = [userInfo, Uri.UnescapeDataString(userInfo), .. parts.Skip(1), .. parts.Skip(1).Select(Uri.UnescapeDataString)];
        // Very short passwords would mask ordinary words in the text; the URL pattern above still covers them.
        return candidates.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length);
    }

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/]+@")]
    private static partial Regex UserInfoInUrl();
}

using System.Text.RegularExpressions;

namespace CommandCenter.VideoRelay.Cameras;

/// <summary>
/// Removes credentials from URLs and from text (such as ffmpeg's stderr) before it is logged or shown: the
/// user-info of a URL, and the value of every query parameter whose name looks like a secret
/// (<c>token</c>, <c>password</c>, <c>key</c>, <c>sig</c>, …), since cameras take credentials in either place.
/// </summary>
public static partial class UrlRedactor
{
    private const string Mask = "***";

    /// <summary>The URL without its user-info part and with its secret-looking query values masked.</summary>
    public static string ForLog(Uri url)
    {
        var text = string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString();
        return SecretParameter().Replace(text, "${name}=" + Mask);
    }

    /// <summary>
    /// Masks the user-info and the secret-looking query values of every URL in <paramref name="text"/>, and any
    /// appearance of the secrets of <paramref name="knownUrl"/>, in case a tool prints them decoded or on their own.
    /// </summary>
    public static string Redact(string text, Uri? knownUrl = null)
    {
        var redacted = UserInfoInUrl().Replace(text, "${scheme}" + Mask + "@");
        redacted = SecretParameter().Replace(redacted, "${name}=" + Mask);
        if (knownUrl is null) return redacted;
        foreach (var secret in Secrets(knownUrl))
            redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
        return redacted;
    }

    /// <summary>Whether a query parameter of this name is taken to carry a credential.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    private static IEnumerable<string> Secrets(Uri url)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            var userInfo = url.UserInfo;
            var parts = userInfo.Split(':', 2);
            candidates.AddRange([userInfo, Uri.UnescapeDataString(userInfo), .. parts.Skip(1), .. parts.Skip(1).Select(Uri.UnescapeDataString)]);
        }
        foreach (var pair in url.Query.TrimStart('?').Split('&', ';'))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && IsSecretName(Uri.UnescapeDataString(parts[0])))
                candidates.AddRange([parts[1], Uri.UnescapeDataString(parts[1].Replace('+', ' '))]);
        }
        // Very short secrets would mask ordinary words in the text; the URL patterns above still cover them.
        return candidates.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length);
    }

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/]+@")]
    private static partial Regex UserInfoInUrl();

    /// <summary><c>name=value</c> after <c>?</c>, <c>&amp;</c> or <c>;</c>, where the name looks like a secret; the value runs to the next separator
    /// (a colon only when followed by a space, as in ffmpeg's "url: error").</summary>
    [GeneratedRegex(@"(?<=[?&;])(?<name>[A-Za-z0-9_.%\-]*(?:token|pass|pwd|secret|auth|key|sig|credential|session)[A-Za-z0-9_.%\-]*)=(?:[^&;#\s""'<>:]|:(?!\s|$))*",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"token|pass|pwd|secret|auth|key|sig|credential|session", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}

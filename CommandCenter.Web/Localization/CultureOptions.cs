namespace CommandCenter.Web.Localization;

/// <summary>Which language a screen speaks when neither the header switch's cookie nor the browser chooses one.</summary>
public sealed class CultureOptions
{
    public const string Section = "Localization";

    /// <summary>Simplified Chinese first: the operators read Chinese.</summary>
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>Every culture the screens are written in; a .resx pair holds each text in both.</summary>
    public static readonly IReadOnlyList<string> Supported = [Chinese, English];

    /// <summary>The culture used when neither the cookie nor Accept-Language names a supported one (default zh-CN).</summary>
    public string DefaultCulture { get; set; } = Chinese;

    public bool IsValid() => Supported.Contains(DefaultCulture, StringComparer.OrdinalIgnoreCase);
}

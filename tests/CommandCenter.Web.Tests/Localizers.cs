using System.Globalization;
using CommandCenter.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Tests;

/// <summary>The command center's own resource files, read the way the host reads them, for tests of its texts.</summary>
public static class Localizers
{
    private static readonly ResourceManagerStringLocalizerFactory Factory = new(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);

    public static IStringLocalizer<T> Of<T>() => new StringLocalizer<T>(Factory);

    public static Labels Labels() => new(Of<Labels>());

    /// <summary>Runs the rest of a test in <paramref name="culture"/>, as a request in it would; disposing restores.</summary>
    public static IDisposable Culture(string culture)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        return new Restore(() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi));
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

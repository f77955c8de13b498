using System.Globalization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Localization;

/// <summary>
/// The culture of one screen: of its request, or of the circuit of an interactive page, taken when the circuit opens.
/// A push from a background thread (the live board's changes, a timer) renders with that thread's culture, not the
/// screen's; strings read through this hold the screen's language whichever thread renders them.
/// </summary>
public sealed class ScreenCulture
{
    public CultureInfo Culture { get; } = CultureInfo.CurrentUICulture;

    public T Run<T>(Func<T> read)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        if (ReferenceEquals(beforeUi, Culture)) return read();
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Culture;
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}

/// <summary>Takes the screen's culture as its circuit opens, on the request that opened it, before any push can render.</summary>
internal sealed class ScreenCultureCircuitHandler(ScreenCulture culture) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _ = culture.Culture;
        return Task.CompletedTask;
    }
}

/// <summary>The resource strings of <typeparamref name="T"/> in the screen's culture.</summary>
internal sealed class ScreenStringLocalizer<T>(IStringLocalizerFactory factory, ScreenCulture culture) : IStringLocalizer<T>
{
    private readonly IStringLocalizer _inner = factory.Create(typeof(T));

    public LocalizedString this[string name] => culture.Run(() => _inner[name]);

    public LocalizedString this[string name, params object[] arguments] => culture.Run(() => _inner[name, arguments]);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        culture.Run(() => _inner.GetAllStrings(includeParentCultures).ToList());
}

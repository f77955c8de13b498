using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>Debian's chromium driven by Playwright; one browser per test class.</summary>
public sealed class Browser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<Browser> Launch()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
        });
        return new Browser(playwright, browser);
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, System.Collections.Concurrent.ConcurrentQueue<string>> _cspViolations = [];

    /// <summary>The language a page asks for (its Accept-Language): tests that read page text say which one they read.</summary>
    public const string English = "en-US";
    public const string Chinese = "zh-CN";

    /// <param name="locale">English unless a test reads the Chinese screens: the command center's default is zh-CN.</param>
    public async Task<IPage> NewPage(Uri baseAddress, string locale = English)
    {
        var page = await _browser.NewPageAsync(new() { BaseURL = baseAddress.ToString(), Locale = locale });
        // Chromium reports every script, style, image or connection the Content-Security-Policy refused on the console.
        var violations = _cspViolations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Enqueue(message.Text);
        };
        return page;
    }

    /// <summary>A page in a context of its own sized and touched like a phone (390×844), so it can be taken offline alone.</summary>
    public async Task<IPage> NewPhonePage(Uri baseAddress, string locale = English)
    {
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(), Locale = locale, ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true,
            DeviceScaleFactor = 3,
        });
        var page = await context.NewPageAsync();
        var violations = _cspViolations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Enqueue(message.Text);
        };
        return page;
    }

    /// <summary>What the page's Content-Security-Policy refused so far, across navigations.</summary>
    public IReadOnlyCollection<string> CspViolations(IPage page) => _cspViolations.GetOrCreateValue(page).ToArray();

    /// <summary>
    /// A page in a context of its own: a screen of this size, and a browser that asks for this language
    /// (Locale sets Accept-Language), so a test that reads page text does not depend on the default culture.
    /// </summary>
    public async Task<IPage> NewScreenPage(Uri baseAddress, int width, int height, string locale)
    {
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = width, Height = height }, Locale = locale,
        });
        var page = await context.NewPageAsync();
        var violations = _cspViolations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Enqueue(message.Text);
        };
        return page;
    }

    public async Task<IPage> SignIn(Uri baseAddress, string user, string password, string locale = English) =>
        await SignIn(await NewPage(baseAddress, locale), user, password);

    /// <summary>Signs in on a page already open (e.g. one of <see cref="NewScreenPage"/>) and lands on the live page.</summary>
    public async Task<IPage> SignIn(IPage page, string user, string password)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        // An inspector lands on the phone page; these tests want the live page of whoever signs in.
        await page.WaitForURLAsync(url => !url.Contains("/login"));
        if (new Uri(page.Url).AbsolutePath != "/") await page.GotoAsync("/");
        await Expect(page.Locator("#device-table")).ToBeVisibleAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

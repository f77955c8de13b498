using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>The screens speak Chinese by default and English when asked; times read in the city's zone.</summary>
[Collection(SharedHost.Name)]
public sealed class LocalizationTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task The_sign_in_page_is_chinese_by_default_and_english_with_accept_language_en()
    {
        var chinese = await _browser.NewPage(Host.BaseAddress, Browser.Chinese);
        await chinese.GotoAsync("/login");
        await Expect(chinese.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(chinese.Locator("#sign-in")).ToHaveTextAsync("登录");
        await Expect(chinese.Locator(".topbar .brand")).ToHaveTextAsync("白银市城市综合指挥中心");

        var english = await _browser.NewPage(Host.BaseAddress, Browser.English);
        await english.GotoAsync("/login");
        await Expect(english.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(english.Locator("#sign-in")).ToHaveTextAsync("Sign in");

        // A language the command center does not speak falls back to the default, Chinese.
        var french = await _browser.NewPage(Host.BaseAddress, "fr-FR");
        await french.GotoAsync("/login");
        await Expect(french.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        Assert.Empty(_browser.CspViolations(chinese));
    }

    [Fact]
    public async Task The_header_switch_changes_the_language_and_it_sticks()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.Chinese);
        await Expect(page.Locator("#cases-link")).ToHaveTextAsync("案件");
        await Expect(page.Locator("#device-table th").First).ToHaveTextAsync("类型");

        await page.ClickAsync("#language-en");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator("#cases-link")).ToHaveTextAsync("Cases");
        await Expect(page.Locator("#device-table th").First).ToHaveTextAsync("Kind");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        // The cookie outweighs the browser's Chinese Accept-Language on every later page.
        await page.GotoAsync("/account/password");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GotoAsync("/");
        await page.ClickAsync("#language-zh-CN");
        await Expect(page.Locator("#cases-link")).ToHaveTextAsync("案件");
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task A_stored_alert_reads_in_both_languages_with_its_time_in_plus_eight()
    {
        // Most of a day ago: usually yesterday in the city, so its date shows; the expected text is worked out either way.
        var at = DateTimeOffset.UtcNow.AddHours(-23);
        for (var i = 0; i < 3; i++) await Host.PublishReading("l10n-sensor", 180 + i, at.AddSeconds(i));
        await Waiting.Until(() => Host.Api.AlertOf("l10n-sensor", "exceed-a34004"), a => a is not null, TimeSpan.FromSeconds(15), "the alert");
        var stored = (await Host.Api.AlertOf("l10n-sensor", "exceed-a34004"))!.Value.GetProperty("title").GetString();
        var selector = "li.alert[data-device='l10n-sensor'][data-alert-type='exceed-a34004']";

        var chinese = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.Chinese);
        var alert = chinese.Locator(selector);
        await Expect(alert.Locator(".title")).ToHaveTextAsync("监测站 l10n-sensor：细颗粒物 PM2.5 182 µg/m³，高于限值 75 µg/m³");
        await Expect(alert.Locator(".state")).ToHaveTextAsync("未确认");
        await Expect(alert.Locator(".sev")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(提示|一般|严重|紧急)$"));
        await Expect(alert.Locator("time")).ToHaveTextAsync(CityText(at.AddSeconds(2)));

        var english = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.English);
        await Expect(english.Locator(selector).Locator(".title")).ToHaveTextAsync("Sensor l10n-sensor: PM2.5 182 µg/m³ above the limit 75 µg/m³");
        // The stored title is what API clients read: unchanged by the page's language.
        Assert.Equal(stored, (await Host.Api.AlertOf("l10n-sensor", "exceed-a34004"))!.Value.GetProperty("title").GetString());
    }

    /// <summary>The time in Asia/Shanghai, with its date unless that is the city's today.</summary>
    private static string CityText(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        return local.ToString(local.Date == today ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}

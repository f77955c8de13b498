using CommandCenter.Grains.Dispatch;
using CommandCenter.Web.Dispatch;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>The sensor page, the inspector's phone, the password page and the board's timeline speak Chinese by default and English when asked.</summary>
[Collection(SharedHost.Name)]
public sealed class FieldPagesLanguageTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task The_sensor_page_and_its_chart_are_chinese_by_default_and_english_under_en()
    {
        await Host.PublishReading("lang-sensor", 42, DateTimeOffset.UtcNow);

        var chinese = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.Chinese);
        await OpenWithChart(chinese);
        await Expect(chinese.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(chinese.Locator("#sensor-page h2")).ToContainTextAsync("监测点");
        await Expect(chinese.Locator("button[data-range='day']")).ToHaveTextAsync("近1天");
        await Expect(chinese.Locator("#fact-state")).ToHaveTextAsync("在线");
        await Expect(chinese.Locator(".sensor-chart .flag-count").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^数据标记非 N 的读数：0 / \d+$"));

        var english = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.English);
        await OpenWithChart(english);
        await Expect(english.Locator("#sensor-page h2")).ToContainTextAsync("Sensor");
        await Expect(english.Locator("button[data-range='day']")).ToHaveTextAsync("Last day");
        await Expect(english.Locator("#fact-state")).ToHaveTextAsync("online");
        await Expect(english.Locator(".sensor-chart .flag-count").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Readings flagged other than N: 0 / \d+$"));
        Assert.Empty(_browser.CspViolations(chinese));
        Assert.Empty(_browser.CspViolations(english));
    }

    [Fact]
    public async Task The_phone_page_is_chinese_by_default_and_english_under_en()
    {
        var chinese = await PhoneOf(Browser.Chinese);
        await Expect(chinese.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(chinese.Locator("#act-accept")).ToHaveTextAsync("接受");
        await Expect(chinese.Locator("#phone-connection")).ToHaveTextAsync("在线");
        await Expect(chinese.Locator("#report-send")).ToHaveTextAsync("上报");

        var english = await PhoneOf(Browser.English);
        await Expect(english.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(english.Locator("#act-accept")).ToHaveTextAsync("Accept");
        await Expect(english.Locator("#phone-connection")).ToHaveTextAsync("online");
        await Expect(english.Locator("#report-send")).ToHaveTextAsync("Report");
        // The script's own words come from the page too.
        await english.ClickAsync("#report-send");
        await Expect(english.Locator("#phone-message")).ToHaveTextAsync("Please describe the problem.");
        await chinese.ClickAsync("#report-send");
        await Expect(chinese.Locator("#phone-message")).ToHaveTextAsync("请填写描述。");
        Assert.Empty(_browser.CspViolations(chinese));
    }

    [Fact]
    public async Task Password_rules_are_told_in_chinese_by_default_and_as_identity_words_them_under_en()
    {
        var chinese = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.Chinese);
        await TooShort(chinese);
        await Expect(chinese.Locator("p.error")).ToContainTextAsync("密码至少需要 ");

        var english = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.English);
        await TooShort(english);
        await Expect(english.Locator("p.error")).ToContainTextAsync("Passwords must be at least ");
    }

    [Fact]
    public void Stored_timeline_steps_read_in_the_screens_language_and_unknown_ones_as_stored()
    {
        var steps = new TimelineSteps(Localizers.Of<TimelineSteps>());
        var at = DateTimeOffset.UtcNow;
        var accepted = new TimelineEntry(at, "hh-1", "hh-1 accepted the task: on my way", "hh-1");
        var rejected = new TimelineEntry(at, "hh-1", "hh-1 rejected the task: choose another unit", "hh-1");
        var silent = new TimelineEntry(at, "command-center", "no answer from hh-1 after 3 sends: choose another unit", "hh-1");
        var done = new TimelineEntry(at, "hh-1", "hh-1 done, available", "hh-1");
        var other = new TimelineEntry(at, "hh-1", "hh-1 waved", "hh-1");
        using (Localizers.Culture("zh-CN"))
        {
            Assert.Equal("hh-1 已接受任务：on my way", steps.Text(accepted));
            Assert.Equal("hh-1 拒绝了任务：请另选单位", steps.Text(rejected));
            Assert.Equal("hh-1 发送 3 次未应答：请另选单位", steps.Text(silent));
            Assert.Equal("hh-1 已完成，空闲", steps.Text(done));
            Assert.Equal("hh-1 waved", steps.Text(other));
        }
        using (Localizers.Culture("en"))
        {
            Assert.Equal("hh-1 accepted the task: on my way", steps.Text(accepted));
            Assert.Equal("no answer from hh-1 after 3 sends: choose another unit", steps.Text(silent));
        }
    }

    /// <summary>Opens the sensor's page once the live board holds its reading, so the chart is on it, and waits for it drawn.</summary>
    private static async Task OpenWithChart(IPage page)
    {
        await Waiting.Until(async () =>
        {
            await page.GotoAsync("/sensors/lang-sensor");
            await page.Locator("button[data-range='day']").WaitForAsync();
            return await page.Locator(".sensor-chart").CountAsync();
        }, count => count > 0, TimeSpan.FromSeconds(15), "the sensor's chart");
        await Expect(page.Locator(".sensor-chart .chart").First).ToHaveAttributeAsync("data-state", "drawn");
    }

    private async Task<IPage> PhoneOf(string locale)
    {
        var phone = await _browser.NewPhonePage(Host.BaseAddress, locale);
        await phone.GotoAsync("/login?ReturnUrl=/m");
        await phone.FillAsync("#username", "inspector");
        await phone.FillAsync("#password", "Inspector#2026");
        await phone.ClickAsync("#sign-in");
        await Expect(phone.Locator("#phone")).ToHaveAttributeAsync("data-ready", "yes");
        return phone;
    }

    private static async Task TooShort(IPage page)
    {
        await page.GotoAsync("/account/password");
        await page.FillAsync("#current-password", "Operator#2026");
        await page.FillAsync("#new-password", "a1");
        await page.FillAsync("#confirm-password", "a1");
        await page.ClickAsync("#change-password");
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>The enforcement, statistics, admin and small pages speak Chinese by default and English when the browser asks.</summary>
[Collection(SharedHost.Name)]
public sealed class PageLanguageTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task The_enforcement_queue_and_evidence_sheet_are_chinese_by_default_and_english_with_accept_language_en()
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-30);
        for (var i = 0; i < 3; i++) await Host.PublishReading("l10n-enf", 150 + 10 * i, now.AddSeconds(5 * i));
        var alert = await Waiting.Until(() => Host.Api.AlertOf("l10n-enf", "exceed-a34004"), a => a is not null, TimeSpan.FromSeconds(15), "the alert");
        var alertId = alert!.Value.GetProperty("id").GetString()!;

        var chinese = await _browser.SignIn(Host.BaseAddress, "admin", "Admin#2026", Browser.Chinese);
        await chinese.GotoAsync("/enforcement");
        await Expect(chinese.Locator("#enforcement-queue-page h2")).ToContainTextAsync("待审核告警");
        await Expect(chinese.Locator("#refresh-queue")).ToHaveTextAsync("刷新");
        await chinese.GotoAsync($"/enforcement/{alertId}");
        await Expect(chinese.Locator("#evidence-sheet h2")).ToHaveTextAsync("环境执法证据单");
        await Expect(chinese.Locator("#print-sheet")).ToHaveTextAsync("打印证据单");
        await Expect(chinese.Locator("#alert-rule")).ToHaveTextAsync("连续读数");
        // The title is built in the screen's language from the alert's parts, whatever the stored title says.
        await Expect(chinese.Locator("#alert-title")).ToContainTextAsync("细颗粒物 PM2.5");
        await Expect(chinese.Locator("#alert-title")).ToContainTextAsync("高于限值");

        var english = await _browser.SignIn(Host.BaseAddress, "admin", "Admin#2026", Browser.English);
        await english.GotoAsync("/enforcement");
        await Expect(english.Locator("#enforcement-queue-page h2")).ToContainTextAsync("Alerts to review");
        await Expect(english.Locator("#refresh-queue")).ToHaveTextAsync("Refresh");
        await english.GotoAsync($"/enforcement/{alertId}");
        await Expect(english.Locator("#evidence-sheet h2")).ToHaveTextAsync("Environmental enforcement evidence sheet");
        await Expect(english.Locator("#print-sheet")).ToHaveTextAsync("Print evidence sheet");
        await Expect(english.Locator("#alert-rule")).ToHaveTextAsync("readings in a row");
        await Expect(english.Locator("#alert-title")).ToContainTextAsync("above the limit");
        await Expect(english.Locator("#alert-title")).Not.ToContainTextAsync("细颗粒物");
        Assert.Empty(_browser.CspViolations(chinese));
        Assert.Empty(_browser.CspViolations(english));
    }

    [Fact]
    public async Task The_statistics_page_is_chinese_by_default_and_english_with_accept_language_en()
    {
        var chinese = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.Chinese);
        await chinese.GotoAsync("/cases/statistics");
        await Expect(chinese.Locator("#case-statistics-page h2")).ToHaveTextAsync("综合评价");
        await Expect(chinese.Locator("button[data-period='week']")).ToHaveTextAsync("本周");
        await Expect(chinese.Locator("button[data-by='department']")).ToHaveTextAsync("按部门");

        var english = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.English);
        await english.GotoAsync("/cases/statistics");
        await Expect(english.Locator("#case-statistics-page h2")).ToHaveTextAsync("Case statistics");
        await Expect(english.Locator("button[data-period='week']")).ToHaveTextAsync("This week");
        await Expect(english.Locator("button[data-by='department']")).ToHaveTextAsync("By department");
    }

    [Fact]
    public async Task The_admin_pages_are_chinese_by_default_and_english_with_accept_language_en()
    {
        var chinese = await _browser.SignIn(Host.BaseAddress, "admin", "Admin#2026", Browser.Chinese);
        await chinese.GotoAsync("/admin/devices");
        await Expect(chinese.Locator(".admin-devices h2")).ToContainTextAsync("已登记设备");
        await Expect(chinese.Locator("#registry-table th").First).ToHaveTextAsync("类型");
        await chinese.GotoAsync("/admin/inspectors");
        await Expect(chinese.Locator(".admin-inspectors h2")).ToContainTextAsync("执法人员与终端");
        await Expect(chinese.Locator("#inspector-table th").First).ToHaveTextAsync("账号");

        var english = await _browser.SignIn(Host.BaseAddress, "admin", "Admin#2026", Browser.English);
        await english.GotoAsync("/admin/devices");
        await Expect(english.Locator(".admin-devices h2")).ToContainTextAsync("Registered devices");
        await Expect(english.Locator("#registry-table th").First).ToHaveTextAsync("Kind");
        await english.GotoAsync("/admin/inspectors");
        await Expect(english.Locator(".admin-inspectors h2")).ToContainTextAsync("Inspectors and their handhelds");
        await Expect(english.Locator("#inspector-table th").First).ToHaveTextAsync("Account");
    }

    [Fact]
    public async Task An_alerts_device_list_and_the_error_page_are_chinese_by_default_and_english_with_accept_language_en()
    {
        var chinese = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.Chinese);
        await chinese.GotoAsync("/alerts/l10n-no-such-alert/devices");
        await Expect(chinese.Locator(".alert-devices h2")).ToContainTextAsync("没有这条告警");
        await chinese.GotoAsync("/error");
        await Expect(chinese.Locator("h1")).ToHaveTextAsync("出错了");

        var english = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026", Browser.English);
        await english.GotoAsync("/alerts/l10n-no-such-alert/devices");
        await Expect(english.Locator(".alert-devices h2")).ToContainTextAsync("No such alert");
        await english.GotoAsync("/error");
        await Expect(english.Locator("h1")).ToHaveTextAsync("Something went wrong");
    }
}

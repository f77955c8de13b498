using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The 12319 hotline form in Debian's chromium: an operator takes a call with the keyboard and one click on the map,
/// and the form is ready for the next call; a second call about the same category at the same place is offered the
/// merge into the first case, or a case of its own.
/// </summary>
[Collection(SharedHost.Name)]
public sealed class HotlineTests(HostFixture fixture) : IAsyncLifetime
{
    // 施工扰民 Construction disturbing residents: no other test reports it.
    private const string Category = "event-0301";
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task An_operator_creates_a_case_and_a_second_call_at_the_same_place_is_offered_the_merge()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await page.ClickAsync("#hotline-link");
        await Expect(page.Locator("#hotline-page[data-interactive='yes']")).ToBeVisibleAsync();

        // The caller's field has the focus; Tab walks the form in the order a call goes.
        await Expect(page.Locator("#caller")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("王女士");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#caller-phone")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("13800000001");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#address")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("白银区人民路 8 号");
        // Click 1: the place on the map.
        await page.Locator("#hotline-map").ClickAsync(new() { Position = new() { X = 150, Y = 150 } });
        await Expect(page.Locator("#lat")).Not.ToHaveValueAsync("");
        var lat = double.Parse(await page.Locator("#lat").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var lon = double.Parse(await page.Locator("#lon").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("#category").FocusAsync();
        await page.Locator("#category").SelectOptionAsync(Category);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#description")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("夜间施工噪音 Night-time construction noise");
        // Click 2: create.
        await page.ClickAsync("#submit-report");

        var created = page.Locator("#created-case-id");
        await Expect(created).ToHaveTextAsync(new Regex(@"^C\d{14}$"));
        var first = (await created.TextContentAsync())!;
        // Ready for the next call: empty, the caller's field focused.
        await Expect(page.Locator("#caller")).ToHaveValueAsync("");
        await Expect(page.Locator("#description")).ToHaveValueAsync("");
        await Expect(page.Locator("#lat")).ToHaveValueAsync("");
        await Expect(page.Locator("#caller")).ToBeFocusedAsync();

        var @case = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{first}");
        Assert.Equal("Reported", @case.GetProperty("state").GetString());
        Assert.Equal("Hotline", @case.GetProperty("source").GetString());
        Assert.Equal(Category, @case.GetProperty("category").GetString());
        Assert.Equal("王女士", @case.GetProperty("reporter").GetProperty("name").GetString());
        Assert.Equal(lat, @case.GetProperty("position").GetProperty("lat").GetDouble(), 5);
        Assert.Equal(lon, @case.GetProperty("position").GetProperty("lon").GetDouble(), 5);

        // A second call about the same problem: same category, a click on the same spot.
        await page.FillAsync("#caller", "李先生");
        await page.FillAsync("#description", "工地还在施工 Still building at night");
        await page.Locator("#hotline-map").ClickAsync(new() { Position = new() { X = 152, Y = 151 } });
        await page.Locator("#category").SelectOptionAsync(Category);
        await page.ClickAsync("#submit-report");
        var offered = page.Locator($"#duplicates li[data-case-id='{first}']");
        await Expect(offered).ToBeVisibleAsync();
        await Expect(page.Locator("#created-case-id")).ToHaveCountAsync(0);
        await offered.Locator("button.merge-into").ClickAsync();
        await Expect(page.Locator("#merged-case-id")).ToHaveTextAsync(first);
        await Expect(page.Locator("#caller")).ToBeFocusedAsync();

        // Merged: no new case, the call is a line of the first case's history.
        var merged = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{first}");
        Assert.Equal("Reported", merged.GetProperty("state").GetString());
        var line = merged.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("merged-report", line.GetProperty("action").GetString());
        Assert.Contains("李先生", line.GetProperty("note").GetString());
        Assert.Contains("Still building", line.GetProperty("note").GetString());

        // A third call at the same place may still be a case of its own.
        await page.FillAsync("#caller", "赵先生");
        await page.FillAsync("#description", "另一处工地 Another site next door");
        await page.Locator("#hotline-map").ClickAsync(new() { Position = new() { X = 150, Y = 150 } });
        await page.Locator("#category").SelectOptionAsync(Category);
        await page.ClickAsync("#submit-report");
        await Expect(page.Locator("#duplicates")).ToBeVisibleAsync();
        await page.ClickAsync("#create-anyway");
        await Expect(page.Locator("#created-case-id")).ToHaveTextAsync(new Regex(@"^C\d{14}$"));
        Assert.NotEqual(first, await page.Locator("#created-case-id").TextContentAsync());

        // Refused input is said on the form and creates nothing.
        await page.FillAsync("#caller", "钱女士");
        await page.FillAsync("#description", "无类别 No category");
        await page.Locator("#hotline-map").ClickAsync(new() { Position = new() { X = 300, Y = 100 } });
        await page.ClickAsync("#submit-report");
        await Expect(page.Locator("#hotline-problem")).ToContainTextAsync("category");
        await Expect(page.Locator("#created-case-id")).ToHaveCountAsync(0);
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task Only_operators_and_admins_take_calls()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "officer", "Officer#2026");
        await Expect(page.Locator("#hotline-link")).ToHaveCountAsync(0);
        await page.GotoAsync("/cases/hotline");
        await Expect(page.Locator("#hotline-form")).ToHaveCountAsync(0);
    }
}

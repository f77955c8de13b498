using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Cases through the real host: the seven steps over the API with a failed verification, refusals that change
/// nothing, a deadline passing with no screen open (and while the host is down), and the operator's pages in chromium.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class CaseWorkflowTests() : OwnHostAndBrowser(new Dictionary<string, string>
{
    // A category of the test's own whose filing is due within seconds.
    ["Cases__Categories__0__Code"] = Hasty,
    ["Cases__Categories__0__NameZh"] = "测试",
    ["Cases__Categories__0__NameEn"] = "Test",
    ["Cases__Categories__0__Type"] = "Event",
    ["Cases__Categories__0__Major"] = "99",
    ["Cases__Categories__0__Minor"] = "01",
    ["Cases__Categories__0__Department"] = "sanitation",
    ["Cases__Categories__0__Deadlines__File"] = "00:00:03",
    ["Accounts__Seed__4__UserName"] = "sanitation-user",
    ["Accounts__Seed__4__Password"] = "Sanitation#2026",
    ["Accounts__Seed__4__Roles__0"] = "Department",
    ["Cases__DepartmentUsers__sanitation-user"] = "sanitation",
})
{
    private const string Hasty = "event-9901";
    private static readonly object Place = new { lat = 36.545, lon = 104.175 };

    private async Task<JsonElement> Report(string category = "event-0101", string description = "路边暴露垃圾 rubbish by the road")
    {
        var response = await Host.Api.PostAsJsonAsync("/api/cases", new
        {
            source = "Hotline", category, description, address = "白银区人民路 12 号", lat = 36.545, lon = 104.175,
            reporterName = "张三", reporterPhone = "13800000000",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> Step(string id, string action, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Host.Api.PostAsJsonAsync($"/api/cases/{id}/{action}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{action}: {(int)response.StatusCode} {text}");
        if (expected != HttpStatusCode.OK) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> Get(string id) => await Host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{id}");

    private static string[] Actions(JsonElement @case) => [.. @case.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];

    [Fact]
    public async Task A_case_lives_its_whole_life_through_the_api_with_one_rework()
    {
        var reported = await Report("component-0102", "污水井盖缺失 sewer cover missing");
        var id = reported.GetProperty("id").GetString()!;
        Assert.Equal("Reported", reported.GetProperty("state").GetString());
        Assert.Equal("620402", reported.GetProperty("district").GetString());

        var filed = await Step(id, "file", new { note = "核实有效 verified" });
        Assert.Matches("^6204020102[0-9]{6}$", filed.GetProperty("componentCode").GetString());
        Assert.Equal("Dispatched", (await Step(id, "dispatch", new { department = "water" })).GetProperty("state").GetString());
        await Step(id, "handle", new { note = "已补装井盖 cover replaced", media = new[] { "https://example.org/cover.jpg" } });
        var returned = await Step(id, "verify", new { passed = false, note = "井盖未固定 not fixed down" });
        Assert.Equal(("Returned", 1), (returned.GetProperty("state").GetString(), returned.GetProperty("reworkCount").GetInt32()));
        await Step(id, "supervise", new { note = "请今日内完成 finish today" });
        await Step(id, "handle", new { note = "已固定 fixed down" });
        var closed = await Step(id, "verify", new { passed = true });
        Assert.True(closed.GetProperty("onTime").GetBoolean());
        await Step(id, "evaluate", new { score = 5, comment = "满意 satisfied" });

        var stored = await Get(id);
        Assert.Equal("Closed", stored.GetProperty("state").GetString());
        Assert.Equal(["report", "file", "dispatch", "handle", "verify-failed", "supervise", "handle", "verify-passed", "evaluate"], Actions(stored));
        var list = await Host.Api.GetFromJsonAsync<JsonElement>("/api/cases?state=Closed&department=water");
        Assert.Contains(list.GetProperty("cases").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Steps_out_of_order_and_bad_input_are_refused_with_problem_details_and_change_nothing()
    {
        var id = (await Report()).GetProperty("id").GetString()!;
        await Step(id, "close", new { }, HttpStatusCode.Conflict);
        await Step(id, "dispatch", new { department = "sanitation" }, HttpStatusCode.Conflict);
        await Step(id, "file", new { category = "no-such-category" }, HttpStatusCode.BadRequest);
        await Step(id, "file", new { });
        await Step(id, "dispatch", new { department = "no-such-department" }, HttpStatusCode.BadRequest);
        var cancelled = await Report();
        var other = cancelled.GetProperty("id").GetString()!;
        await Step(other, "cancel", new { reason = "重复 duplicate" });
        await Step(other, "verify", new { passed = true }, HttpStatusCode.Conflict);

        Assert.Equal("Filed", (await Get(id)).GetProperty("state").GetString());
        Assert.Equal(["report", "file"], Actions(await Get(id)));
        Assert.Equal(["report", "cancel"], Actions(await Get(other)));

        async Task Refused(object body, string says)
        {
            var response = await Host.Api.PostAsJsonAsync("/api/cases", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(says, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
        await Refused(new { source = "Hotline", category = "event-0101", description = "no place" }, "position");
        await Refused(new { source = "Hotline", category = "nope", description = "x", address = "somewhere" }, "category");
        await Refused(new { source = "Hotline", category = "event-0101", description = new string('长', 2001), address = "a" }, "description");
        await Refused(new { source = "Hotline", category = "event-0101", description = "x", address = "a", media = Enumerable.Repeat("https://example.org/a.jpg", 11) }, "media");
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/cases/C20260101999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/cases/not-a-case")).StatusCode);
    }

    [Fact]
    public async Task A_deadline_passing_with_no_screen_open_is_flagged_also_when_it_passes_while_the_host_is_down()
    {
        var watched = (await Report(Hasty)).GetProperty("id").GetString()!;
        var flagged = await Waiting.Until(() => Get(watched), c => c.GetProperty("overdue").GetBoolean(), TimeSpan.FromSeconds(30), "flagged overdue");
        Assert.Contains("overdue", Actions(flagged));
        Assert.Contains(Actions(flagged), a => a == "warned");

        var missed = await Report(Hasty);
        var id = missed.GetProperty("id").GetString()!;
        var due = missed.GetProperty("dueAt").GetDateTimeOffset();
        await Host.Kill();
        await Waiting.Until(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > due, TimeSpan.FromSeconds(30), "past the deadline while down");
        await Host.Start();
        await Waiting.Until(() => Get(id), c => c.GetProperty("overdue").GetBoolean(), TimeSpan.FromSeconds(30), "flagged overdue after the restart");
        var overdue = await Host.Api.GetFromJsonAsync<JsonElement>("/api/cases?overdue=true");
        Assert.Contains(overdue.GetProperty("cases").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        // The first screen opened afterwards shows it on the live page.
        var live = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await Expect(live.Locator($"#overdue-cases li[data-case-id='{id}']")).ToContainTextAsync("Test");
    }

    [Fact]
    public async Task An_operator_files_and_dispatches_on_the_case_page_and_the_department_reports_back()
    {
        var id = (await Report()).GetProperty("id").GetString()!;
        var page = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };

        await page.ClickAsync("#cases-link");
        await Expect(page.Locator("#case-list-page")).ToHaveAttributeAsync("data-interactive", "yes");
        var row = page.Locator($"#cases-table tr[data-case-id='{id}']");
        await Expect(row).ToContainTextAsync("Reported");
        await page.SelectOptionAsync("#filter-state", "Cancelled");
        await page.ClickAsync("#apply-filters");
        await Expect(row).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#filter-state", "Reported");
        await page.ClickAsync("#apply-filters");
        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("#case-page")).ToHaveAttributeAsync("data-interactive", "yes");

        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "Reported");
        await page.SelectOptionAsync("#case-action", "File");
        await page.ClickAsync("#case-act");
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "Filed");
        await page.SelectOptionAsync("#case-action", "Dispatch");
        await page.SelectOptionAsync("#case-form-department", "sanitation");
        await page.ClickAsync("#case-act");
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "Dispatched");
        await Expect(page.Locator("#case-history tr[data-action='dispatch']")).ToHaveCountAsync(1);
        // A department's user reports back on the same page, and sees only that step.
        Assert.Equal("Dispatched", (await Get(id)).GetProperty("state").GetString());

        var department = await Chromium.NewPage(Host.BaseAddress);
        await department.GotoAsync("/login");
        await department.FillAsync("#username", "sanitation-user");
        await department.FillAsync("#password", "Sanitation#2026");
        await department.ClickAsync("#sign-in");
        await department.WaitForURLAsync(url => !url.Contains("/login"));
        await department.GotoAsync($"/cases/{id}");
        await Expect(department.Locator("#case-page")).ToHaveAttributeAsync("data-interactive", "yes");
        await Expect(department.Locator("#case-action option")).ToHaveTextAsync(["Report handling"]);
        await department.FillAsync("#case-form-note", "已清运 cleared away");
        await department.ClickAsync("#case-act");
        await Expect(department.Locator("#case-state")).ToHaveAttributeAsync("data-state", "Handled");
        // The operator's open page follows without a reload.
        await Expect(page.Locator("#case-state")).ToHaveAttributeAsync("data-state", "Handled");
        Assert.Empty(errors);
        Assert.Empty(Chromium.CspViolations(page));
    }

    [Fact]
    public async Task The_inspector_of_the_grid_cell_fails_then_passes_the_check_from_the_phone_page()
    {
        var id = (await Report()).GetProperty("id").GetString()!;
        await Step(id, "file", new { });
        await Step(id, "dispatch", new { });
        await Step(id, "handle", new { note = "已清运 cleared away" });

        var phone = await Chromium.NewPhonePage(Host.BaseAddress);
        await phone.GotoAsync("/login?ReturnUrl=/m");
        await phone.FillAsync("#username", "inspector");
        await phone.FillAsync("#password", "Inspector#2026");
        await phone.ClickAsync("#sign-in");
        var item = phone.Locator($"#verify-list li[data-case-id='{id}']");
        await Expect(item).ToContainTextAsync("路边暴露垃圾");
        await item.Locator(".verify-fail").ClickAsync();
        await Expect(phone.Locator("#verify-message")).ToContainTextAsync("Say why the check failed");
        await item.Locator(".verify-note").FillAsync("仍有垃圾 rubbish still there");
        await item.Locator(".verify-fail").ClickAsync();
        await Expect(item).ToHaveCountAsync(0);
        var returned = await Get(id);
        Assert.Equal(("Returned", 1), (returned.GetProperty("state").GetString(), returned.GetProperty("reworkCount").GetInt32()));

        await Step(id, "handle", new { note = "已彻底清运 all cleared" });
        await phone.ReloadAsync();
        await item.Locator(".verify-pass").ClickAsync();
        await Expect(item).ToHaveCountAsync(0);
        var closed = await Get(id);
        Assert.Equal("Closed", closed.GetProperty("state").GetString());
        Assert.Equal("inspector", closed.GetProperty("history").EnumerateArray().Last().GetProperty("who").GetString());
        Assert.Empty(Chromium.CspViolations(phone));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The inspector's phone page in Debian's chromium with a phone's viewport: the admin links accounts to handhelds,
/// a task dispatched through the API shows on the phone, its actions reach the incident's timeline, an action taken
/// offline arrives once after reconnecting, and a problem reported with a photo becomes an alert with that photo.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class PhonePageTests() : OwnHostAndBrowser(Settings)
{
    private const string InspectorPassword = "Inspector#2026";

    /// <summary>Two more inspectors besides the shipped one, and a small photo limit.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Accounts__Seed__4__UserName"] = "inspector-two",
        ["Accounts__Seed__4__Password"] = InspectorPassword,
        ["Accounts__Seed__4__Roles__0"] = "Inspector",
        ["Accounts__Seed__5__UserName"] = "inspector-unlinked",
        ["Accounts__Seed__5__Password"] = InspectorPassword,
        ["Accounts__Seed__5__Roles__0"] = "Inspector",
        ["Phone__MaxPhotoBytes"] = "200000",
    };
    private const double Lat = 36.5461, Lon = 104.1402;
    /// <summary>A JPEG's first bytes and end; the server keeps what it recognises by those, it does not decode.</summary>
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 1, 2, 3, 4, 5, 0xFF, 0xD9];

    [Fact]
    public async Task A_task_on_the_phone_taken_online_and_offline_reaches_the_timeline_once_and_a_report_becomes_an_alert_with_its_photo()
    {
        await Handheld(Host, "ph-0001", 36.5472, 104.1402);
        await Handheld(Host, "ph-0002", 36.5560, 104.1402);
        await LinkOnAdminPage("inspector", "ph-0001");
        await LinkOnAdminPage("inspector-two", "ph-0002");
        // One handheld, one inspector.
        await LinkOnAdminPage("inspector-two", "ph-0001", refusal: "ph-0001 is already linked to inspector");

        var id = await Open("Manhole cover missing on Beijing Road");
        (await Host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "ph-0001" } })).EnsureSuccessStatusCode();

        var phone = await SignInOnPhone("inspector");
        await Expect(phone.Locator("#task-title")).ToHaveTextAsync("Manhole cover missing on Beijing Road");
        await Expect(phone.Locator("#task-status")).ToContainTextAsync("Dispatched");
        // No position from the phone here: the distance is the handheld's, about 120 m.
        await Expect(phone.Locator("#task-distance")).ToHaveTextAsync(new Regex(@"^1[0-4]\d m$"));
        Assert.InRange(await phone.EvaluateAsync<int>("window.innerWidth"), 360, 430);
        await Expect(phone.Locator("#done-form")).ToBeHiddenAsync();

        await phone.ClickAsync("#act-accept");
        await Waiting.Until(() => Incident(id), i => Steps(i, "accepted the task") == 1, TimeSpan.FromSeconds(15), "accepted on the timeline");
        var accepted = (await Incident(id)).GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("what").GetString()!.Contains("accepted the task"));
        Assert.Equal("inspector:inspector", accepted.GetProperty("by").GetString());

        // The connection drops: "on the way" waits on the phone.
        await phone.Context.SetOfflineAsync(true);
        await phone.ClickAsync("#act-en-route");
        await Expect(phone.Locator("#queue-count")).ToHaveTextAsync("1");
        await Expect(phone.Locator("#phone-connection")).ToHaveAttributeAsync("data-state", "offline");
        var actionId = await phone.Locator("#queue li").First.GetAttributeAsync("data-id");
        Assert.NotNull(actionId);
        Assert.Equal(0, Steps(await Incident(id), "en route"));

        await phone.Context.SetOfflineAsync(false);
        await Expect(phone.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 20_000 });
        await Waiting.Until(() => Incident(id), i => Steps(i, "en route") >= 1, TimeSpan.FromSeconds(15), "en route on the timeline");

        // The same action again by hand, as a phone would that never saw the answer: not applied a second time.
        var again = await PostMove(phone, new() { ["id"] = actionId!, ["incident"] = id, ["status"] = "en-route" });
        Assert.Equal(200, again.Status);
        Assert.Equal("repeated", (await again.JsonAsync())!.Value.GetProperty("outcome").GetString());
        var incident = await Incident(id);
        Assert.Equal(1, Steps(incident, "en route"));
        Assert.Equal("en-route", incident.GetProperty("units").EnumerateArray().Single().GetProperty("status").GetString());

        // Another inspector cannot move a task that is not theirs; without the antiforgery token nothing is accepted.
        var other = await SignInOnPhone("inspector-two");
        await Expect(other.Locator("#no-task")).ToBeVisibleAsync();
        var foreign = await PostMove(other, new() { ["id"] = "foreign-action-0001", ["incident"] = id, ["status"] = "on-scene" });
        Assert.Equal(409, foreign.Status);
        var forged = await phone.APIRequest.PostAsync("/m/api/moves", new()
        {
            Multipart = Form(phone, new() { ["id"] = "forged-action-0001", ["incident"] = id, ["status"] = "on-scene" }),
        });
        Assert.Equal(400, forged.Status);
        var notAPicture = await PostMove(phone, new() { ["id"] = "bad-photo-0001", ["incident"] = id, ["status"] = "on-scene" },
            ("photo.jpg", "image/jpeg", "not a picture"u8.ToArray()));
        Assert.Equal(400, notAPicture.Status);
        var tooLarge = await PostMove(phone, new() { ["id"] = "big-photo-0001", ["incident"] = id, ["status"] = "on-scene" },
            ("photo.jpg", "image/jpeg", [.. Jpeg, .. new byte[200_000]]));
        Assert.Equal(400, tooLarge.Status);
        incident = await Incident(id);
        Assert.Equal(0, Steps(incident, "on scene"));
        foreach (var (lat, lon, n) in new[] { ("NaN", "104.14", 1), ("200", "104.14", 2), ("36.5", "", 3) })
        {
            var misplaced = await Post(phone, "/m/api/reports", new() { ["id"] = $"bad-place-000{n}", ["text"] = "x", ["lat"] = lat, ["lon"] = lon });
            Assert.Equal(400, misplaced.Status);
            Assert.Contains("lat must be", (await misplaced.JsonAsync())!.Value.GetProperty("detail").GetString());
        }

        // A problem reported here with a photo becomes an alert of the city-management network, with the photo.
        await phone.FillAsync("#report-text", "Broken street light at the crossing");
        await phone.SetInputFilesAsync("#report-photo", new FilePayload { Name = "light.jpg", MimeType = "image/jpeg", Buffer = Jpeg });
        await phone.ClickAsync("#report-send");
        await Expect(phone.Locator("#queue-count")).ToHaveTextAsync("0");
        var alert = await Waiting.Until(() => Host.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=all")!,
            alerts => alerts!.Any(a => a.GetProperty("title").GetString()!.Contains("Broken street light")), TimeSpan.FromSeconds(15), "the report's alert");
        var reported = alert!.Single(a => a.GetProperty("title").GetString()!.Contains("Broken street light"));
        Assert.Equal("city-management", reported.GetProperty("network").GetString());
        Assert.Equal("ph-0001", reported.GetProperty("key").GetProperty("deviceId").GetString());
        // The alert is raised first, its photo kept right after.
        var photos = await Waiting.Until(() => Host.Api.GetFromJsonAsync<JsonElement[]>($"/api/photos?of={reported.GetProperty("id").GetString()}")!,
            list => list!.Length > 0, TimeSpan.FromSeconds(15), "the report's photo kept");
        var url = Assert.Single(photos!).GetProperty("url").GetString()!;
        var served = await phone.APIRequest.GetAsync(url);
        Assert.Equal(200, served.Status);
        Assert.Equal("image/jpeg", served.Headers["content-type"]);
        Assert.Equal(Jpeg, await served.BodyAsync());
        // Evidence is for signed-in users only.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        using var refused = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/login", refused.Headers.Location!.OriginalString);

        // Done, with a note and a photo from the camera: on the timeline, the photo kept with the incident.
        await phone.ClickAsync("#act-done");
        await Expect(phone.Locator("#done-form")).ToBeVisibleAsync();
        await phone.FillAsync("#done-note", "Cover replaced, road open");
        await phone.SetInputFilesAsync("#done-photo", new FilePayload { Name = "cover.jpg", MimeType = "image/jpeg", Buffer = Jpeg });
        await phone.ClickAsync("#done-send");
        await Expect(phone.Locator("#no-task")).ToBeVisibleAsync();
        var done = await Waiting.Until(() => Incident(id), i => Steps(i, "done") == 1, TimeSpan.FromSeconds(15), "done on the timeline");
        Assert.Contains(done.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString() == "ph-0001 done, available: Cover replaced, road open");
        // The photo is kept once the move is applied, just after the timeline has it.
        var taskPhotos = await Waiting.Until(() => Host.Api.GetFromJsonAsync<JsonElement[]>($"/api/photos?of={id}")!,
            photos => photos!.Length > 0, TimeSpan.FromSeconds(15), "the done photo kept");
        var taskPhoto = Assert.Single(taskPhotos!);
        Assert.Equal(Jpeg, await (await phone.APIRequest.GetAsync(taskPhoto.GetProperty("url").GetString()!)).BodyAsync());

        Assert.Empty(Chromium.CspViolations(phone));
    }

    [Fact]
    public async Task The_link_a_report_and_its_photo_survive_a_restart_and_the_report_sent_again_after_it_is_not_raised_twice()
    {
        string dataDirectory, alertId;
        var fields = new Dictionary<string, string> { ["id"] = "report-before-restart-0001", ["text"] = "Illegal dumping behind the market", ["lat"] = "36.5470", ["lon"] = "104.1410" };
        await using (var first = new CommandCenterProcess(settings: Settings))
        {
            await first.Start();
            dataDirectory = first.DataDirectory;
            await Handheld(first, "ph-0003", 36.5472, 104.1402);
            await LinkOnAdminPage(first, "inspector", "ph-0003");
            var phone = await SignInOnPhone(first, "inspector");
            var reported = await Post(phone, "/m/api/reports", fields, ("dump.jpg", "image/jpeg", Jpeg));
            Assert.Equal(200, reported.Status);
            var answer = (await reported.JsonAsync())!.Value;
            Assert.Equal("applied", answer.GetProperty("outcome").GetString());
            alertId = answer.GetProperty("alertId").GetString()!;
            await phone.Context.CloseAsync();
            await first.Kill();
        }

        await using var second = new CommandCenterProcess(dataDirectory, Settings);
        await second.Start();
        var again = await SignInOnPhone(second, "inspector");
        await Expect(again.Locator("#phone-handheld")).ToHaveTextAsync("ph-0003");
        // The phone never saw the answer and sends its queue again.
        var resent = await Post(again, "/m/api/reports", fields, ("dump.jpg", "image/jpeg", Jpeg));
        Assert.Equal(200, resent.Status);
        var repeated = (await resent.JsonAsync())!.Value;
        Assert.Equal("repeated", repeated.GetProperty("outcome").GetString());
        Assert.Equal(alertId, repeated.GetProperty("alertId").GetString());
        var alerts = await second.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=all");
        var alert = Assert.Single(alerts!, a => a.GetProperty("title").GetString()!.Contains("Illegal dumping"));
        Assert.Equal(1, alert.GetProperty("occurrences").GetInt32());
        Assert.Equal(36.5470, alert.GetProperty("position").GetProperty("lat").GetDouble());
        var photo = Assert.Single((await second.Api.GetFromJsonAsync<JsonElement[]>($"/api/photos?of={alertId}"))!);
        Assert.Equal(Jpeg, await (await again.APIRequest.GetAsync(photo.GetProperty("url").GetString()!)).BodyAsync());
    }

    [Fact]
    public async Task A_report_with_a_category_opens_one_Reported_case_and_an_unknown_category_opens_nothing()
    {
        await using var host = new CommandCenterProcess(settings: Settings);
        await host.Start();
        await Handheld(host, "ph-0007", 36.5472, 104.1402);
        await LinkOnAdminPage(host, "inspector", "ph-0007");
        var phone = await SignInOnPhone(host, "inspector");

        // From the form: the category chosen on the page, the place the handheld's last fix.
        await Expect(phone.Locator("#report-category option[value='event-0101']")).ToHaveTextAsync("Exposed rubbish");
        await phone.Locator("#report-category").SelectOptionAsync("event-0101");
        await phone.FillAsync("#report-text", "Rubbish bags left at the bus stop");
        await phone.ClickAsync("#report-send");
        await Expect(phone.Locator("#phone-message")).ToContainTextAsync("Reported, case C", new() { Timeout = 15_000 });
        var caseId = Regex.Match((await phone.Locator("#phone-message").TextContentAsync())!, @"case (\S+)$").Groups[1].Value;
        var opened = await host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal(("Reported", "Inspector", "event-0101"), (opened.GetProperty("state").GetString(), opened.GetProperty("source").GetString(), opened.GetProperty("category").GetString()));
        Assert.Equal("Rubbish bags left at the bus stop", opened.GetProperty("description").GetString());
        Assert.Equal((36.5472, 104.1402), (opened.GetProperty("position").GetProperty("lat").GetDouble(), opened.GetProperty("position").GetProperty("lon").GetDouble()));
        Assert.Equal("inspector", opened.GetProperty("reporter").GetProperty("name").GetString());
        var alerts = await host.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=all");
        var alert = Assert.Single(alerts!, a => a.GetProperty("title").GetString()!.Contains("Rubbish bags"));
        Assert.Equal($"alert {alert.GetProperty("id").GetString()}", opened.GetProperty("origin").GetString());

        // As the queue sends it: the form's place and a photo; sent again, it answers the same case and opens no other.
        var fields = new Dictionary<string, string> { ["id"] = "case-report-0001", ["text"] = "Manhole cover missing", ["category"] = "component-0102", ["lat"] = "36.5480", ["lon"] = "104.1420" };
        var first = (await (await Post(phone, "/m/api/reports", fields, ("cover.jpg", "image/jpeg", Jpeg))).JsonAsync())!.Value;
        Assert.Equal("applied", first.GetProperty("outcome").GetString());
        var secondCase = first.GetProperty("caseId").GetString()!;
        var resent = (await (await Post(phone, "/m/api/reports", fields, ("cover.jpg", "image/jpeg", Jpeg))).JsonAsync())!.Value;
        Assert.Equal(("repeated", secondCase), (resent.GetProperty("outcome").GetString(), resent.GetProperty("caseId").GetString()));
        var withPhoto = await host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{secondCase}");
        Assert.Equal(36.5480, withPhoto.GetProperty("position").GetProperty("lat").GetDouble());
        Assert.Equal("/photos/case-report-0001", Assert.Single(withPhoto.GetProperty("media").EnumerateArray()).GetString());

        // An unknown category refuses the report before anything is made; no category keeps it an alert only.
        var unknown = await Post(phone, "/m/api/reports", new() { ["id"] = "case-report-0002", ["text"] = "Odd thing", ["category"] = "event-9999", ["lat"] = "36.5", ["lon"] = "104.1" });
        Assert.Equal(400, unknown.Status);
        Assert.Contains("unknown category", (await unknown.JsonAsync())!.Value.GetProperty("detail").GetString());
        var plain = (await (await Post(phone, "/m/api/reports", new() { ["id"] = "case-report-0003", ["text"] = "Just an alert" })).JsonAsync())!.Value;
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("caseId").ValueKind);
        var all = (await host.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=all"))!;
        Assert.DoesNotContain(all, a => a.GetProperty("title").GetString()!.Contains("Odd thing"));
        Assert.Contains(all, a => a.GetProperty("title").GetString()!.Contains("Just an alert"));
        var cases = (await host.Api.GetFromJsonAsync<JsonElement>("/api/cases?source=Inspector")).GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([caseId, secondCase], cases.Order().ToList());
        Assert.Empty(Chromium.CspViolations(phone));
    }

    [Fact]
    public async Task A_report_stored_before_reports_opened_cases_still_answers_when_sent_again()
    {
        // A store of the version before: phone_reports without its case_id column, one report in it.
        var dataDirectory = Directory.CreateTempSubdirectory("command-center-test-").FullName;
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "state.db")};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE phone_reports (id TEXT PRIMARY KEY, by_user TEXT NOT NULL, alert_id TEXT NOT NULL, photo_id TEXT, at TEXT NOT NULL);
                INSERT INTO phone_reports VALUES ('old-report-0001', 'inspector', 'alert-of-old-report', NULL, '2026-11-30T08:00:00.0000000+00:00');
                """;
            await create.ExecuteNonQueryAsync();
        }
        await using var host = new CommandCenterProcess(dataDirectory, Settings);
        await host.Start();
        await Handheld(host, "ph-0008", 36.5472, 104.1402);
        await LinkOnAdminPage(host, "inspector", "ph-0008");
        var phone = await SignInOnPhone(host, "inspector");
        var resent = await Post(phone, "/m/api/reports", new() { ["id"] = "old-report-0001", ["text"] = "Sent before the upgrade", ["category"] = "event-0101" });
        Assert.Equal(200, resent.Status);
        var answer = (await resent.JsonAsync())!.Value;
        Assert.Equal(("repeated", "alert-of-old-report"), (answer.GetProperty("outcome").GetString(), answer.GetProperty("alertId").GetString()));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("caseId").ValueKind);
    }

    [Fact]
    public async Task An_action_queued_offline_outlives_a_lost_sign_in_and_is_sent_after_signing_in_again()
    {
        await using var host = new CommandCenterProcess(settings: Settings);
        await host.Start();
        await Handheld(host, "ph-0005", 36.5472, 104.1402);
        await LinkOnAdminPage(host, "inspector", "ph-0005");
        using var opened = await host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "III", lat = Lat, lon = Lon, title = "Water main burst" });
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "ph-0005" } })).EnsureSuccessStatusCode();

        var phone = await SignInOnPhone(host, "inspector");
        await Expect(phone.Locator("#task-title")).ToHaveTextAsync("Water main burst");
        await phone.Context.SetOfflineAsync(true);
        await phone.ClickAsync("#act-accept");
        await Expect(phone.Locator("#queue-count")).ToHaveTextAsync("1");

        // The sign-in is gone when the connection returns: the action is not taken as answered by the sign-in page.
        await phone.Context.ClearCookiesAsync();
        await phone.Context.SetOfflineAsync(false);
        await Expect(phone).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 20_000 });
        var steps = (await host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}")).GetProperty("timeline").EnumerateArray();
        Assert.DoesNotContain(steps, e => e.GetProperty("what").GetString()!.Contains("accepted the task"));

        await phone.FillAsync("#username", "inspector");
        await phone.FillAsync("#password", InspectorPassword);
        await phone.ClickAsync("#sign-in");
        await Expect(phone).ToHaveURLAsync(new Regex("/m$"));
        await Expect(phone.Locator("#queue-count")).ToHaveTextAsync("0", new() { Timeout = 20_000 });
        var incident = await Waiting.Until(() => host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}"),
            i => i.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("what").GetString()!.Contains("accepted the task")),
            TimeSpan.FromSeconds(15), "accepted after signing in again");
        Assert.Single(incident.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString()!.Contains("accepted the task"));
    }

    [Fact]
    public async Task An_inspector_not_linked_to_a_handheld_is_told_so()
    {
        var phone = await SignInOnPhone("inspector-unlinked");
        await Expect(phone.Locator("#phone-message")).ToContainTextAsync("not linked to a handheld");
        await Expect(phone.Locator("#task")).ToBeHiddenAsync();
        var move = await PostMove(phone, new() { ["id"] = "unlinked-0001", ["incident"] = "inc-0123456789abcdef0123456789abcdef", ["status"] = "en-route" });
        Assert.Equal(409, move.Status);
    }

    private static async Task Handheld(CommandCenterProcess host, string id, double lat, double lon)
    {
        (await host.Api.PutAsJsonAsync($"/api/devices/handheld/{id}", new { secret = CommandCenterProcess.SecretOf(id) })).EnsureSuccessStatusCode();
        await host.Publish($"cc/handheld/{id}/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{lat}},"lon":{{lon}},"battery":0.9}""");
        await Waiting.Until(() => host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices")!,
            list => list!.Any(d => d.GetProperty("id").GetString() == id && d.GetProperty("position").ValueKind == JsonValueKind.Object),
            TimeSpan.FromSeconds(15), $"{id} reporting");
    }

    private Task LinkOnAdminPage(string user, string handheld, string? refusal = null) => LinkOnAdminPage(Host, user, handheld, refusal);

    private async Task LinkOnAdminPage(CommandCenterProcess host, string user, string handheld, string? refusal = null)
    {
        var admin = await Chromium.SignIn(host.BaseAddress, "admin", "Admin#2026");
        await admin.GotoAsync("/admin/inspectors");
        await Expect(admin.Locator(".admin-inspectors")).ToHaveAttributeAsync("data-interactive", "yes");
        var row = admin.Locator($"tr[data-user='{user}']");
        await row.Locator("select.handheld").SelectOptionAsync(handheld);
        await row.Locator("button.link-handheld").ClickAsync();
        await Expect(admin.Locator("#link-message")).ToContainTextAsync(refusal ?? $"{user} → {handheld}");
        await admin.Context.CloseAsync();
    }

    private Task<IPage> SignInOnPhone(string user) => SignInOnPhone(Host, user);

    private async Task<IPage> SignInOnPhone(CommandCenterProcess host, string user)
    {
        var phone = await Chromium.NewPhonePage(host.BaseAddress);
        // The site's address as typed on a phone: an inspector is taken to the phone page once signed in.
        await phone.GotoAsync("/");
        await Expect(phone).ToHaveURLAsync(new Regex("/login"));
        await phone.FillAsync("#username", user);
        await phone.FillAsync("#password", InspectorPassword);
        await phone.ClickAsync("#sign-in");
        await Expect(phone).ToHaveURLAsync(new Regex("/m$"));
        await Expect(phone.Locator("#phone")).ToHaveAttributeAsync("data-ready", "yes");
        return phone;
    }

    private static Task<IAPIResponse> PostMove(IPage phone, Dictionary<string, string> fields, (string Name, string Type, byte[] Bytes)? photo = null) =>
        Post(phone, "/m/api/moves", fields, photo);

    /// <summary>Posts as the page's script does: a form with the page's antiforgery token in the header.</summary>
    private static async Task<IAPIResponse> Post(IPage phone, string path, Dictionary<string, string> fields, (string Name, string Type, byte[] Bytes)? photo = null)
    {
        var form = Form(phone, fields);
        if (photo is { } p) form.Set("photo", new FilePayload { Name = p.Name, MimeType = p.Type, Buffer = p.Bytes });
        var token = await phone.Locator("meta[name=antiforgery]").GetAttributeAsync("content");
        return await phone.APIRequest.PostAsync(path, new()
        {
            Multipart = form, Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token! },
        });
    }

    private static IFormData Form(IPage phone, Dictionary<string, string> fields)
    {
        var form = phone.Context.APIRequest.CreateFormData();
        foreach (var (key, value) in fields) form.Set(key, value);
        return form;
    }

    private async Task<string> Open(string title)
    {
        using var response = await Host.Api.PostAsJsonAsync("/api/incidents", new { type = "public-health", level = "IV", lat = Lat, lon = Lon, title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> Incident(string id) => await Host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");

    private static int Steps(JsonElement incident, string step) =>
        incident.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("what").GetString()!.Contains(step));
}

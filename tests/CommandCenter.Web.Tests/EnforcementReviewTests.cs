using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static CommandCenter.Web.Tests.Hj212Frames;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The enforcement officer's review in Debian's chromium: pollution alerts raised by readings over MQTT reach the
/// queue, the evidence page draws the readings around the alert, and a decision is final, signed and kept across a
/// restart; wrong decisions and wrong roles are refused; the CSV opens in Excel with its Chinese.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class EnforcementReviewTests() : OwnHostAndBrowser(new Dictionary<string, string>())
{
    private const string Officer = "officer", OfficerPassword = "Officer#2026";

    [Fact]
    public async Task An_officer_confirms_a_violation_on_the_evidence_page_and_the_signed_record_survives_a_crash()
    {
        var alertId = await RaisePm25("enf-confirm");
        var page = await SignIn(Officer, OfficerPassword);
        var errors = ConsoleErrors(page);

        await page.ClickAsync("#enforcement-link");
        var row = page.Locator($"#enforcement-queue tr[data-alert-id='{alertId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("PM2.5");
        await row.Locator("a.open-evidence").ClickAsync();

        // The evidence sheet gathers readings, limits and snapshots: on a loaded machine it takes seconds.
        await Expect(page.Locator("#alert-sensor")).ToHaveTextAsync("enf-confirm", new() { Timeout = 20_000 });
        await Expect(page.Locator("#alert-limit")).ToContainTextAsync("75");
        await Expect(page.Locator("#alert-peak")).ToContainTextAsync("170");
        // The sensor's HJ 633 AQI with its level, from the same readings.
        await Expect(page.Locator("#fact-aqi")).ToContainTextAsync(new Regex(@"\d+ (Good|Moderate|\w+ polluted)"));
        // The readings around the alert, drawn from history: the three that raised it at least.
        var chart = page.Locator(".sensor-chart .chart[data-pollutant='a34004']");
        // Drawn once the page's circuit is up and history has answered: on a loaded machine, both take a while.
        try { await Expect(chart).ToHaveAttributeAsync("data-state", "drawn", new() { Timeout = 45_000 }); }
        catch (PlaywrightException e) { Assert.Fail($"{e.Message}\nconsole: {string.Join(" | ", errors)}"); }
        Assert.True(int.Parse((await chart.GetAttributeAsync("data-points"))!) >= 3);
        Assert.Equal("1", await chart.GetAttributeAsync("data-periods"));
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);

        // The same alert period for a script with an API key.
        var periods = await Host.Api.GetFromJsonAsync<JsonElement>("/api/sensors/enf-confirm/alerts?pollutant=a34004");
        var period = Assert.Single(periods.EnumerateArray());
        Assert.Equal(alertId, period.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, period.GetProperty("to").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await Host.Api.GetAsync("/api/sensors/enf-confirm/alerts?from=yesterday")).StatusCode);

        await page.CheckAsync("input[name='decision'][value='confirmed-violation']");
        await page.FillAsync("#decision-note-input", "现场烟尘明显，与数据一致");
        await page.ClickAsync("#submit-decision");
        await Expect(page.Locator("#record-number")).ToHaveTextAsync(new Regex(@"^ENF-20\d\d-\d{6}$"));
        // The violation opened a case of the environment bureau, source Alert, which the record names.
        await Expect(page.Locator("#case-link")).ToHaveTextAsync(new Regex(@"^C20\d{6}\d{6}$"));
        var caseId = await page.Locator("#case-link").TextContentAsync();
        var opened = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal("reported", opened.GetProperty("state").GetString()!.ToLowerInvariant());
        Assert.Equal("alert", opened.GetProperty("source").GetString()!.ToLowerInvariant());
        Assert.Equal("event-0601", opened.GetProperty("category").GetString());
        Assert.Equal("environment", opened.GetProperty("department").GetString());
        Assert.Contains("enf-confirm", opened.GetProperty("description").GetString());
        await Expect(page.Locator("#decided-by")).ToHaveTextAsync(Officer);
        await Expect(page.Locator("#decision-digest")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));
        await Expect(page.Locator("#digest-check")).ToContainTextAsync("matches");
        var number = await page.Locator("#record-number").TextContentAsync();
        var digest = await page.Locator("#decision-digest").TextContentAsync();

        // Decided: gone from the queue, listed among the decisions; a second decision is refused.
        var queue = await Json(await page.APIRequest.GetAsync("/api/enforcement/queue"));
        Assert.DoesNotContain(queue.EnumerateArray(), a => a.GetProperty("alertId").GetString() == alertId);
        var again = await page.APIRequest.PostAsync($"/api/enforcement/{alertId}/decision", new() { DataObject = new { decision = "false-alarm", reason = "again" } });
        await AssertProblem(again, 409, "final");
        Assert.Empty(errors);
        Assert.Empty(Chromium.CspViolations(page));

        // A crash right after: the 201 meant the record was committed.
        await Host.Kill();
        await Host.Start();
        var after = await SignIn(Officer, OfficerPassword);
        var kept = await Json(await after.APIRequest.GetAsync($"/api/enforcement/decisions/{alertId}"));
        Assert.Equal(number, kept.GetProperty("recordNumber").GetString());
        Assert.Equal(digest, kept.GetProperty("digest").GetString());
        Assert.Equal("confirmed-violation", kept.GetProperty("decision").GetString());
        Assert.Equal(Officer, kept.GetProperty("decidedBy").GetString());
        Assert.Equal(caseId, kept.GetProperty("caseStatus").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Host.Api.GetAsync($"/api/cases/{caseId}")).StatusCode);
        await after.GotoAsync($"/enforcement/{alertId}");
        await Expect(after.Locator("#record-number")).ToHaveTextAsync(number!);
        await Expect(after.Locator("#decision-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Wrong_decisions_and_roles_are_refused_false_alarms_are_counted_inspections_open_an_incident_and_the_csv_has_a_bom()
    {
        var falseAlarm = await RaisePm25("enf-noisy");
        var inspection = await RaisePm25("enf-inspect");
        var officer = await SignIn(Officer, OfficerPassword);
        var decide = (string alert, object body) => officer.APIRequest.PostAsync($"/api/enforcement/{alert}/decision", new() { DataObject = body });

        await AssertProblem(await decide(falseAlarm, new { decision = "false-alarm" }), 400, "reason");
        await AssertProblem(await decide(falseAlarm, new { decision = "false-alarm", reason = "   " }), 400, "reason");
        await AssertProblem(await decide(falseAlarm, new { decision = "maybe" }), 400, "decision must be");
        await AssertProblem(await decide("no-such-alert", new { decision = "confirmed-violation" }), 404, "no-such-alert");

        var operatorPage = await SignIn("operator", "Operator#2026");
        await AssertProblem(await operatorPage.APIRequest.PostAsync($"/api/enforcement/{falseAlarm}/decision",
            new() { DataObject = new { decision = "confirmed-violation" } }), 403, "EnforcementOfficer");
        await AssertProblem(await operatorPage.APIRequest.GetAsync("/api/enforcement/queue"), 403, "EnforcementOfficer");
        using (var anonymous = new HttpClient { BaseAddress = Host.BaseAddress })
        {
            var response = await anonymous.PostAsJsonAsync($"/api/enforcement/{falseAlarm}/decision", new { decision = "confirmed-violation" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // An admin may look but not decide.
        var admin = await SignIn("admin", "Admin#2026");
        Assert.Equal(200, (await admin.APIRequest.GetAsync("/api/enforcement/queue")).Status);
        await AssertProblem(await admin.APIRequest.PostAsync($"/api/enforcement/{falseAlarm}/decision",
            new() { DataObject = new { decision = "confirmed-violation" } }), 403, "EnforcementOfficer");

        const string reason = "校准期间, span gas \"on\"";
        var written = await decide(falseAlarm, new { decision = "false-alarm", reason });
        Assert.Equal(201, written.Status);
        var noisy = await Json(await officer.APIRequest.GetAsync("/api/enforcement/noisy"));
        Assert.Contains(noisy.EnumerateArray(), n => n.GetProperty("sensorId").GetString() == "enf-noisy"
            && n.GetProperty("rule").GetString() == "a34004" && n.GetProperty("pollutant").GetString() == "a34004"
            && n.GetProperty("falseAlarms").GetInt32() == 1);
        await officer.GotoAsync("/enforcement");
        await Expect(officer.Locator("#noisy-sensors tr[data-sensor='enf-noisy'][data-rule='a34004'] .false-alarms")).ToHaveTextAsync("1");

        // On-site inspection: an incident at the sensor with the alert attached, through dispatch.
        var inspected = await Json(await decide(inspection, new { decision = "inspection-needed", note = "请核查排口" }));
        var incidentId = inspected.GetProperty("incidentId").GetString()!;
        var incident = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{incidentId}");
        Assert.Contains(incident.GetProperty("alerts").EnumerateArray(), a => a.GetString() == inspection);
        Assert.Equal("public-health", incident.GetProperty("type").GetString());

        var csv = await officer.APIRequest.GetAsync("/api/enforcement/decisions.csv");
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"]);
        var bytes = await csv.BodyAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("record_number,alert_id,decision,", lines[0]);
        var falseAlarmLine = Assert.Single(lines, l => l.Contains(falseAlarm));
        Assert.Contains(",false-alarm,False alarm,", falseAlarmLine);
        Assert.Contains("\"校准期间, span gas \"\"on\"\"\"", falseAlarmLine);
        Assert.Contains(incidentId, Assert.Single(lines, l => l.Contains(inspection)));
    }

    [Fact]
    public async Task The_sensor_page_draws_readings_sent_over_mqtt_with_flagged_ones_marked_and_no_console_errors()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++) await Host.PublishReading("enf-chart", 40 + i, now.AddSeconds(-50 + 10 * i));
        // One more over HJ 212 from the same monitor, flagged M (maintenance): drawn as a marker.
        var pw = "enf-chart-hj212-secret-01";
        (await Host.Api.PutAsync("/api/devices/sensor/enf-chart", JsonContent.Create(new { secret = pw }))).EnsureSuccessStatusCode();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, Host.Hj212Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Frame(Packet("enf-chart", pw, "2011", now.AddSeconds(5), "a34004-Rtd=300.0,a34004-Flag=M")));
            Assert.NotNull(await ReadReply(stream));
        }
        await Waiting.Until(() => Host.Api.GetFromJsonAsync<JsonElement>(
                $"/api/sensors/enf-chart/history?pollutant=a34004&from={Uri.EscapeDataString(now.AddMinutes(-5).ToString("O"))}&to={Uri.EscapeDataString(now.AddMinutes(1).ToString("O"))}"),
            h => h.GetProperty("points").GetArrayLength() >= 6, TimeSpan.FromSeconds(20), "six readings in history");

        var page = await SignIn("operator", "Operator#2026");
        var errors = ConsoleErrors(page);
        await page.FillAsync("input[aria-label='Filter devices']", "enf-chart");
        await page.ClickAsync("#device-table tr[data-device='enf-chart'] a.sensor-link");
        await Expect(page.Locator("#sensor-id")).ToHaveTextAsync("enf-chart");
        // The range buttons answer once the page is interactive: a click before that is not heard, so click until chosen.
        var hour = page.Locator("button.range[data-range='hour']");
        await Waiting.Until(async () => { await hour.ClickAsync(); return await hour.GetAttributeAsync("class"); },
            c => c?.Split(' ').Contains("chosen") == true, TimeSpan.FromSeconds(20), "the hour's range chosen");
        var chart = page.Locator(".sensor-chart .chart[data-pollutant='a34004']");
        await Expect(chart).ToHaveAttributeAsync("data-step", "raw", new() { Timeout = 20_000 });
        await Expect(chart).ToHaveAttributeAsync("data-state", "drawn");
        Assert.Equal("6", await chart.GetAttributeAsync("data-points"));
        Assert.Equal("1", await chart.GetAttributeAsync("data-flagged"));
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        // The canvas holds the drawn line: some of its pixels are not blank.
        var inked = await chart.Locator("canvas").EvaluateAsync<int>("""
            c => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0;
                   for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }
            """);
        Assert.True(inked > 100, $"only {inked} pixels drawn");
        // The SO2 of the same readings has a chart of its own.
        await Expect(page.Locator(".sensor-chart .chart[data-pollutant='a21026']")).ToHaveAttributeAsync("data-state", "drawn");
        // The week of minute averages is asked for with a step.
        await page.ClickAsync("button.range[data-range='week']");
        await Expect(chart).ToHaveAttributeAsync("data-step", "60");
        Assert.Empty(errors);
        Assert.Empty(Chromium.CspViolations(page));
    }

    /// <summary>Three PM2.5 readings over the limit over MQTT; the id of the alert they raise.</summary>
    private async Task<string> RaisePm25(string sensor)
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-30);
        for (var i = 0; i < 3; i++) await Host.PublishReading(sensor, 150 + 10 * i, now.AddSeconds(5 * i));
        var alert = await Waiting.Until(() => Host.Api.AlertOf(sensor, "exceed-a34004"), a => a is not null, TimeSpan.FromSeconds(15), $"an alert of {sensor}");
        return alert!.Value.GetProperty("id").GetString()!;
    }

    private Task<IPage> SignIn(string user, string password) => Chromium.SignIn(Host.BaseAddress, user, password);

    private static List<string> ConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        return errors;
    }

    private static async Task<JsonElement> Json(IAPIResponse response)
    {
        Assert.True(response.Ok, $"{response.Status} {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value;
    }

    private static async Task AssertProblem(IAPIResponse response, int status, string mentions)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith("application/problem+json", response.Headers["content-type"]);
        Assert.Contains(mentions, await response.TextAsync());
    }
}

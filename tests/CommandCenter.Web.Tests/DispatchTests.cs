using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The dispatch workflow through the API, with Debian's mosquitto_sub / mosquitto_pub as the inspectors' handhelds:
/// one near the incident and one far from it.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class DispatchTests
{
    /// <summary>The incident's place, a street in Baiyin; the near handheld is about 120 m from it, the far one about 1.1 km.</summary>
    private const double Lat = 36.5461, Lon = 104.1402;
    private static readonly (double Lat, double Lon) NearPlace = (36.5472, 104.1402);
    private static readonly (double Lat, double Lon) FarPlace = (36.5560, 104.1402);

    [Fact]
    public async Task An_incident_from_opening_to_closing_with_the_nearer_of_two_handhelds_surviving_a_restart()
    {
        string dataDirectory;
        string id;
        await using (var host = new CommandCenterProcess())
        {
            await host.Start();
            dataDirectory = host.DataDirectory;
            await Inspector(host, "dsp-near", "Zhang Wei", NearPlace);
            await Inspector(host, "dsp-far", "Li Na", FarPlace);

            id = await Open(host, new { type = "accident", level = "III", lat = Lat, lon = Lon, title = "Collision at Gongyuan Road", description = "Two cars, one hurt" });
            var offered = await host.Api.GetFromJsonAsync<JsonElement[]>($"/api/incidents/{id}/units");
            Assert.Equal(["dsp-near", "dsp-far"], offered!.Select(u => u.GetProperty("id").GetString()!).Where(u => u.StartsWith("dsp-")).ToArray());
            Assert.Equal("Zhang Wei", offered![0].GetProperty("name").GetString());
            Assert.InRange(offered[0].GetProperty("distanceMeters").GetDouble(), 100, 140);
            Assert.InRange(offered[1].GetProperty("distanceMeters").GetDouble(), 1000, 1200);
            Assert.Equal("available", offered[0].GetProperty("status").GetString());

            using var near = Listen(host, "dsp-near", 1);
            await WaitUntilSubscribed(near);
            var dispatched = await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-near" } });
            Assert.Equal(HttpStatusCode.OK, dispatched.StatusCode);

            var task = JsonDocument.Parse((await near.StandardOutput.ReadLineAsync())!).RootElement;
            Assert.Equal("task", task.GetProperty("type").GetString());
            var args = task.GetProperty("args");
            Assert.Equal(id, args.GetProperty("incident").GetString());
            Assert.Equal("accident", args.GetProperty("type").GetString());
            Assert.Equal("III", args.GetProperty("level").GetString());
            Assert.Equal(Lat, args.GetProperty("lat").GetDouble());
            Assert.Equal("Collision at Gongyuan Road", args.GetProperty("title").GetString());
            var cmdId = task.GetProperty("cmdId").GetString()!;

            // Busy now: only the far one is offered.
            var still = await host.Api.GetFromJsonAsync<JsonElement[]>($"/api/incidents/{id}/units");
            Assert.DoesNotContain(still!, u => u.GetProperty("id").GetString() == "dsp-near");
            Assert.Contains(still!, u => u.GetProperty("id").GetString() == "dsp-far");

            await Ack(host, "dsp-near", cmdId, "accepted");
            var acknowledged = await Incident(host, id);
            Assert.Equal("acknowledged", UnitOf(acknowledged, "dsp-near").GetProperty("status").GetString());
            Assert.Contains(acknowledged.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString() == "dsp-near accepted the task"
                && e.GetProperty("by").GetString() == "handheld:dsp-near");

            await host.Publish("cc/handheld/dsp-near/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"en-route"}""");
            // Walking into the arrival radius is arriving.
            await host.Publish("cc/handheld/dsp-near/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.5463,"lon":104.1402,"battery":0.8}""");
            var onScene = await Incident(host, id);
            Assert.Equal("on-scene", UnitOf(onScene, "dsp-near").GetProperty("status").GetString());
            Assert.Contains(onScene.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("by").GetString() == "position");
            await host.Kill();
        }

        await using (var host = new CommandCenterProcess(dataDirectory))
        {
            await host.Start();
            var kept = await Incident(host, id);
            Assert.Equal("open", kept.GetProperty("state").GetString());
            Assert.Equal("Two cars, one hurt", kept.GetProperty("description").GetString());
            Assert.Equal("on-scene", UnitOf(kept, "dsp-near").GetProperty("status").GetString());
            Assert.Equal(["opened", "dispatched", "accepted", "en route", "on scene"],
                kept.GetProperty("timeline").EnumerateArray().Select(e => Step(e.GetProperty("what").GetString()!)).ToArray());
            Assert.Contains((await host.Api.GetFromJsonAsync<JsonElement[]>("/api/incidents?state=open"))!, i => i.GetProperty("id").GetString() == id);

            var raised = await host.Api.PostAsJsonAsync($"/api/incidents/{id}/level", new { level = "II" });
            Assert.Equal("II", (await raised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("levelName").GetString());

            await host.Publish("cc/handheld/dsp-near/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"done","text":"cleared the road"}""");
            Assert.Equal("available", UnitOf(await Incident(host, id), "dsp-near").GetProperty("status").GetString());

            var closed = await host.Api.PostAsJsonAsync($"/api/incidents/{id}/close", new { report = "Road cleared, one person to hospital." });
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            var final = await closed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("closed", final.GetProperty("state").GetString());
            Assert.Equal("Road cleared, one person to hospital.", final.GetProperty("report").GetString());
            Assert.DoesNotContain((await host.Api.GetFromJsonAsync<JsonElement[]>("/api/incidents?state=open"))!, i => i.GetProperty("id").GetString() == id);
        }
    }

    [Fact]
    public async Task A_task_the_handheld_had_not_acknowledged_before_a_crash_is_sent_again_after_the_restart()
    {
        // Short waits, so the re-send after the restart comes within seconds; ten sends, so the unit is not flagged before
        // the crash and re-sends go on long enough after the restart for a listener that connects late on a busy machine.
        var settings = new Dictionary<string, string> { ["Dispatch__AckTimeout"] = "00:00:02", ["Dispatch__Attempts"] = "10" };
        string dataDirectory, id, cmdId;
        await using (var host = new CommandCenterProcess(settings: settings))
        {
            await host.Start();
            dataDirectory = host.DataDirectory;
            await Inspector(host, "dsp-crash", "Wang Fang", NearPlace);
            id = await Open(host, new { type = "public-health", level = 2, lat = Lat, lon = Lon, title = "Food poisoning at a school" });
            using var handheld = Listen(host, "dsp-crash", 1);
            await WaitUntilSubscribed(handheld);
            (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-crash" } })).EnsureSuccessStatusCode();
            cmdId = JsonDocument.Parse((await handheld.StandardOutput.ReadLineAsync())!).RootElement.GetProperty("cmdId").GetString()!;
            await host.Kill();
        }

        await using (var host = new CommandCenterProcess(dataDirectory, settings))
        {
            await host.Start();
            using var handheld = Listen(host, "dsp-crash", 1);
            var again = JsonDocument.Parse((await handheld.StandardOutput.ReadLineAsync())!).RootElement;
            Assert.Equal(cmdId, again.GetProperty("cmdId").GetString());
            Assert.Equal(id, again.GetProperty("args").GetProperty("incident").GetString());
            await Ack(host, "dsp-crash", cmdId, "accepted");
            Assert.Equal("acknowledged", UnitOf(await Incident(host, id), "dsp-crash").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_task_nobody_answers_is_sent_again_then_flagged_to_choose_another_unit()
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string> { ["Dispatch__AckTimeout"] = "00:00:01" });
        await host.Start();
        await Inspector(host, "dsp-silent", null, NearPlace);
        var id = await Open(host, new { type = "social-safety", level = "IV", lat = Lat, lon = Lon, title = "Crowd at the station" });
        using var handheld = Listen(host, "dsp-silent", 2);
        await WaitUntilSubscribed(handheld);
        (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-silent" } })).EnsureSuccessStatusCode();

        var sends = new List<string>();
        while (await handheld.StandardOutput.ReadLineAsync() is { } line) sends.Add(JsonDocument.Parse(line).RootElement.GetProperty("cmdId").GetString()!);
        Assert.Equal(2, sends.Count);
        Assert.Single(sends.Distinct());
        var flagged = await Waiting.Until(() => Incident(host, id), i => UnitOf(i, "dsp-silent").GetProperty("noAnswer").GetBoolean(),
            TimeSpan.FromSeconds(20), "flagged unanswered");
        Assert.Contains(flagged.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString()!.EndsWith("choose another unit"));
    }

    [Fact]
    public async Task Bad_input_is_refused_whole_and_stray_device_answers_are_counted()
    {
        await using var host = new CommandCenterProcess();
        await host.Start();
        await Inspector(host, "dsp-ok", null, NearPlace);
        await Inspector(host, "dsp-other", null, FarPlace);
        await Inspector(host, "dsp-down", null, FarPlace);
        await host.Publish("cc/handheld/dsp-down/status", $$"""{"ts":"{{DateTimeOffset.Now:O}}","online":false}""");

        await Problem(host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "V", lat = Lat, lon = Lon, title = "x" }), 400, "level");
        await Problem(host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = 5, lat = Lat, lon = Lon, title = "x" }), 400, "level");
        await Problem(host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "I", lat = 200, lon = Lon, title = "x" }), 400, "lat");
        await Problem(host.Api.PostAsJsonAsync("/api/incidents", new { type = "earthquake", level = "I", lat = Lat, lon = Lon, title = "x" }), 400, "type");
        await Problem(host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "I", lat = Lat, lon = Lon, title = "x", alertId = "nope" }), 400, "alert");
        await Problem(host.Api.GetAsync("/api/incidents/inc-0123456789abcdef0123456789abcdef"), 404, "no incident");
        await Problem(host.Api.GetAsync("/api/incidents/not-an-id"), 404, "no incident");

        var id = await Open(host, new { type = "accident", level = "I", lat = Lat, lon = Lon, title = "Gas leak" });
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-nobody" } }), 400, "registered handheld");
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = Array.Empty<string>() }), 400, "units");
        // One good unit and one offline: nothing is applied, the good one is still offered.
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-ok", "dsp-down" } }), 409, "offline");
        Assert.Empty((await Incident(host, id)).GetProperty("units").EnumerateArray());
        // The unit list reads the live board, which the live feed fills a batch after the handheld reports.
        await Waiting.Until(() => host.Api.GetFromJsonAsync<JsonElement[]>($"/api/incidents/{id}/units"),
            units => units!.Any(u => u.GetProperty("id").GetString() == "dsp-ok"), TimeSpan.FromSeconds(10), "dsp-ok offered as a unit");
        Assert.DoesNotContain((await host.Api.GetFromJsonAsync<JsonElement[]>($"/api/incidents/{id}/units"))!, u => u.GetProperty("id").GetString() == "dsp-down");

        using var handheld = Listen(host, "dsp-ok", 1);
        await WaitUntilSubscribed(handheld);
        (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-ok" } })).EnsureSuccessStatusCode();
        var cmdId = JsonDocument.Parse((await handheld.StandardOutput.ReadLineAsync())!).RootElement.GetProperty("cmdId").GetString()!;
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-ok" } }), 409, "not available");

        var before = (await host.Api.Stats()).GetProperty("rejectedByReason");
        Assert.False(before.TryGetProperty("command", out _));
        // Another handheld answers the task on its own topic: not taken; an unknown cmdId: not taken.
        await Ack(host, "dsp-other", cmdId, "accepted");
        await Ack(host, "dsp-ok", "t-unknown", "accepted");
        Assert.Equal("dispatched", UnitOf(await Incident(host, id), "dsp-ok").GetProperty("status").GetString());
        await Ack(host, "dsp-ok", cmdId, "accepted");
        await Ack(host, "dsp-ok", cmdId, "accepted");
        // A unit event from a handheld without a task.
        await host.Publish("cc/handheld/dsp-other/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"on-scene"}""");
        var stats = (await host.Api.Stats()).GetProperty("rejectedByReason");
        Assert.Equal(4, stats.GetProperty("command").GetInt64());
        var incident = await Incident(host, id);
        Assert.Single(incident.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString() == "dsp-ok accepted the task");

        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/units/dsp-ok/status", new { status = "flying" }), 400, "status");
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/units/dsp-other/status", new { status = "on-scene" }), 409, "not sent");
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/close", new { report = "" }), 400, "report");
        (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/close", new { report = "Leak sealed." })).EnsureSuccessStatusCode();
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/close", new { report = "again" }), 409, "closed");
        await Problem(host.Api.PostAsJsonAsync($"/api/incidents/{id}/level", new { level = "II" }), 409, "closed");
        // Closing released the unit.
        // The unit list reads the live board, which the live feed fills a batch after the handheld reports.
        await Waiting.Until(() => host.Api.GetFromJsonAsync<JsonElement[]>($"/api/incidents/{id}/units"),
            units => units!.Any(u => u.GetProperty("id").GetString() == "dsp-ok"), TimeSpan.FromSeconds(10), "dsp-ok offered as a unit");
    }

    [Fact]
    public async Task An_incident_opened_from_a_handhelds_sos_takes_its_place_and_a_read_only_key_cannot_change_it()
    {
        await using var host = new CommandCenterProcess();
        await host.Start();
        await Inspector(host, "dsp-sos", "Chen Jing", NearPlace);
        await host.Publish("cc/handheld/dsp-sos/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical","text":"Attacked at the market"}""");
        var alert = (await host.Api.AlertOf("dsp-sos", "sos"))!.Value;
        var alertId = alert.GetProperty("id").GetString();

        using var opened = await host.Api.PostAsJsonAsync("/api/incidents", new { type = "social-safety", level = "II", title = "Inspector attacked", alertId });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var incident = await opened.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(NearPlace.Lat, incident.GetProperty("place").GetProperty("lat").GetDouble());
        Assert.Equal(NearPlace.Lon, incident.GetProperty("place").GetProperty("lon").GetDouble());
        Assert.Equal([alertId!], incident.GetProperty("alerts").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal("orange", incident.GetProperty("colour").GetString());
        Assert.Equal("acknowledged", (await host.Api.AlertOf("dsp-sos", "sos"))!.Value.GetProperty("state").GetString());

        using var wall = new HttpClient { BaseAddress = host.BaseAddress };
        wall.DefaultRequestHeaders.Add("X-Api-Key", "change-me-wall-screen-key");
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync($"/api/incidents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wall.PostAsJsonAsync($"/api/incidents/{id}/close", new { report = "no" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wall.PostAsJsonAsync("/api/incidents", new { type = "accident", level = 4, lat = Lat, lon = Lon, title = "x" })).StatusCode);
        using var malformed = await host.Api.PostAsync("/api/incidents", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("open", (await Incident(host, id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_status_move_sent_twice_with_the_same_key_is_applied_once()
    {
        await using var host = new CommandCenterProcess();
        await host.Start();
        await Inspector(host, "dsp-phone", null, NearPlace);
        var id = await Open(host, new { type = "natural-disaster", level = "II", lat = Lat, lon = Lon, title = "Landslide on the hill road" });
        (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "dsp-phone" } })).EnsureSuccessStatusCode();
        foreach (var status in (string[])["acknowledged", "en-route", "en-route"])
        {
            var moved = await host.Api.PostAsJsonAsync($"/api/incidents/{id}/units/dsp-phone/status", new { status, key = $"phone-{status}" });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        // The phone re-sends its queue after reconnecting: "acknowledged" again, with its old key, does not move the unit back.
        (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/units/dsp-phone/status", new { status = "acknowledged", key = "phone-acknowledged" })).EnsureSuccessStatusCode();
        var incident = await Incident(host, id);
        Assert.Equal("en-route", UnitOf(incident, "dsp-phone").GetProperty("status").GetString());
        Assert.Equal(["opened", "dispatched", "accepted", "en route"],
            incident.GetProperty("timeline").EnumerateArray().Select(e => Step(e.GetProperty("what").GetString()!)).ToArray());
    }

    [Fact]
    public async Task A_simulated_handheld_accepts_a_task_goes_there_and_reports_on_scene_and_done()
    {
        await using var host = new CommandCenterProcess();
        await host.Start();
        using var simulators = StartSimulators(host);
        try
        {
            var handheld = await Waiting.Until(() => host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices")!,
                list => list!.Any(d => d.GetProperty("id").GetString() == "hh-0001" && d.GetProperty("position").ValueKind == JsonValueKind.Object),
                TimeSpan.FromSeconds(60), "the simulated handheld reporting");
            var at = handheld!.Single(d => d.GetProperty("id").GetString() == "hh-0001").GetProperty("position");
            // 400 m north of where the inspector is.
            var id = await Open(host, new { type = "accident", level = "IV", lat = at.GetProperty("lat").GetDouble() + 0.0036, lon = at.GetProperty("lon").GetDouble(), title = "Fallen tree" });
            (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { "hh-0001" } })).EnsureSuccessStatusCode();

            var done = await Waiting.Until(() => Incident(host, id),
                i => i.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("what").GetString()!.Contains("done")),
                TimeSpan.FromSeconds(90), "the task done");
            var steps = done.GetProperty("timeline").EnumerateArray().Select(e => Step(e.GetProperty("what").GetString()!)).ToList();
            Assert.Equal(["opened", "dispatched", "accepted", "en route", "on scene", "done"], steps);
            Assert.Equal("available", UnitOf(done, "hh-0001").GetProperty("status").GetString());
        }
        finally
        {
            simulators.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The simulators of <c>scripts/run</c> with one handheld that reports every second and goes fast.</summary>
    private static Process StartSimulators(CommandCenterProcess host) => SimulatorsProcess.Start(new Dictionary<string, string>
    {
        ["Simulator__Handhelds"] = "1", ["Simulator__Sensors"] = "0", ["Simulator__Cameras"] = "0", ["Simulator__DemoExceedance"] = "",
        ["Simulator__HandheldInterval"] = "00:00:01", ["Simulator__Walk__TaskSpeedMetersPerSecond"] = "40",
        ["Simulator__Walk__OnSceneDuration"] = "00:00:03",
        ["Simulator__Mqtt__Port"] = host.MqttPort.ToString(), ["Simulator__CommandCenter__Url"] = host.BaseAddress.ToString(),
        ["Simulator__CommandCenter__ApiKey"] = CommandCenterProcess.ApiKey, ["SimulatedCameras__Port"] = CommandCenterProcess.FreePort().ToString(),
    });

    /// <summary>Registers a handheld with a name and has it report where it is.</summary>
    private static async Task Inspector(CommandCenterProcess host, string id, string? name, (double Lat, double Lon) at)
    {
        (await host.Api.PutAsJsonAsync($"/api/devices/handheld/{id}", new { secret = CommandCenterProcess.SecretOf(id), name })).EnsureSuccessStatusCode();
        await host.Publish($"cc/handheld/{id}/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{at.Lat}},"lon":{{at.Lon}},"battery":0.9}""");
    }

    private static async Task<string> Open(CommandCenterProcess host, object incident)
    {
        using var response = await host.Api.PostAsJsonAsync("/api/incidents", incident);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/api/incidents/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    private static async Task<JsonElement> Incident(CommandCenterProcess host, string id) =>
        await host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");

    private static JsonElement UnitOf(JsonElement incident, string unit) =>
        incident.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("id").GetString() == unit);

    /// <summary>The kind of a timeline entry, without the unit's id and notes: "dsp-near on scene (within 50 m)" is "on scene".</summary>
    private static string Step(string what) =>
        ((string[])["opened", "dispatched", "accepted", "en route", "on scene", "done", "closed", "level", "no answer", "rejected"])
        .FirstOrDefault(what.Contains) ?? what;

    private static Task Ack(CommandCenterProcess host, string device, string cmdId, string result) =>
        host.MosquittoPub(["-u", device, "-P", CommandCenterProcess.SecretOf(device), "-q", "1", "-t", $"cc/handheld/{device}/cmd/ack",
            "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{cmdId}}","result":"{{result}}"}"""]);

    private static async Task Problem(Task<HttpResponseMessage> request, int status, string mentions)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The handheld's side: mosquitto_sub on its command topic, printing each task it gets.</summary>
    private static Process Listen(CommandCenterProcess host, string id, int count)
    {
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", host.MqttPort.ToString(), "-u", id, "-P", CommandCenterProcess.SecretOf(id),
                     "-q", "1", "-t", $"cc/handheld/{id}/cmd", "-C", count.ToString(), "-W", "60"])
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    private static async Task WaitUntilSubscribed(Process listener)
    {
        // mosquitto_sub has no "subscribed" line; a short pause lets its SUBSCRIBE reach the broker.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(listener.HasExited, await (listener.HasExited ? listener.StandardError.ReadToEndAsync() : Task.FromResult("")));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Open311 GeoReport v2 as a citizen app speaks it: a plain form-encoded HTTP client posts a request to the real host,
/// reads it back as JSON and XML, and finds it as a case of the workflow; bad posts get the spec's error array and
/// create nothing.
/// </summary>
[Collection(SharedHost.Name)]
public sealed class Open311Tests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    private HttpClient Citizen() => new() { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private async Task<string> AnyServiceCode(HttpClient client)
    {
        var services = await client.GetFromJsonAsync<JsonElement>("/open311/v2/services.json");
        Assert.True(services.GetArrayLength() > 0);
        var first = services[0];
        Assert.False(string.IsNullOrEmpty(first.GetProperty("service_name").GetString()));
        Assert.False(first.GetProperty("metadata").GetBoolean());
        Assert.Equal("realtime", first.GetProperty("type").GetString());
        return first.GetProperty("service_code").GetString()!;
    }

    [Fact]
    public async Task A_posted_request_is_a_case_and_reads_back_as_json_and_xml()
    {
        using var citizen = Citizen();
        var code = await AnyServiceCode(citizen);

        var definition = await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/services/{code}.json");
        Assert.Equal(code, definition.GetProperty("service_code").GetString());
        Assert.Equal(JsonValueKind.Array, definition.GetProperty("attributes").ValueKind);

        var posted = await citizen.PostAsync("/open311/v2/requests.json", Form(
            ("api_key", CommandCenterProcess.ReportKey), ("service_code", code), ("lat", "36.5452"), ("long", "104.1731"),
            ("description", "井盖缺失 Manhole cover missing at the school gate"), ("media_url", "https://photos.example/cover.jpg"),
            ("first_name", "Li"), ("last_name", "Wei"), ("email", "li.wei@example.cn"), ("phone", "+86 943 1234567"), ("device_id", "phone-311")));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var answer = Assert.Single((await posted.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        var id = answer.GetProperty("service_request_id").GetString()!;
        Assert.False(string.IsNullOrEmpty(id));

        // The case behind it, through the workflow's API.
        var @case = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/{id}");
        Assert.Equal("reported", @case.GetProperty("state").GetString()!.ToLowerInvariant());
        Assert.Equal("open311", @case.GetProperty("source").GetString()!.ToLowerInvariant());

        var one = Assert.Single((await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/requests/{id}.json")).EnumerateArray());
        Assert.Equal(id, one.GetProperty("service_request_id").GetString());
        Assert.Equal("open", one.GetProperty("status").GetString());
        Assert.Equal(code, one.GetProperty("service_code").GetString());
        Assert.Equal(36.5452, one.GetProperty("lat").GetDouble(), 6);
        Assert.Equal(104.1731, one.GetProperty("long").GetDouble(), 6);
        Assert.Contains("Manhole cover", one.GetProperty("description").GetString());
        Assert.Equal("https://photos.example/cover.jpg", one.GetProperty("media_url").GetString());
        Assert.False(string.IsNullOrEmpty(one.GetProperty("agency_responsible").GetString()));
        var requested = DateTimeOffset.Parse(one.GetProperty("requested_datetime").GetString()!);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - requested).TotalMinutes) < 5);
        Assert.NotNull(one.GetProperty("updated_datetime").GetString());

        // A second request, then both by their ids, and the list filters.
        var second = await citizen.PostAsync("/open311/v2/requests.json", Form(
            ("api_key", CommandCenterProcess.ReportKey), ("service_code", code), ("address_string", "白银区人民路 12 号 12 Renmin Road"),
            ("description", "路灯不亮 Street light out")));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("service_request_id").GetString()!;
        var both = await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?service_request_id={id},{secondId}");
        Assert.Equal([id, secondId], both.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()).Order());
        var byCode = await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?service_code={code}&status=open");
        Assert.Contains(byCode.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == secondId);
        var closed = await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?service_code={code}&status=closed");
        Assert.DoesNotContain(closed.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == id);
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:sszzz"));
        var later = await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?start_date={future}&end_date={future}");
        Assert.Equal(0, later.GetArrayLength());

        // The same as XML, declared UTF-8, with its Chinese intact.
        var xmlAnswer = await citizen.GetAsync($"/open311/v2/requests/{secondId}.xml");
        Assert.Equal("text/xml", xmlAnswer.Content.Headers.ContentType!.MediaType);
        var xml = XDocument.Parse(await xmlAnswer.Content.ReadAsStringAsync());
        Assert.Equal("service_requests", xml.Root!.Name.LocalName);
        var request = Assert.Single(xml.Root.Elements("request"));
        Assert.Equal(secondId, request.Element("service_request_id")!.Value);
        Assert.Equal("open", request.Element("status")!.Value);
        Assert.Contains("人民路", request.Element("address")!.Value);
        Assert.Equal("service", XDocument.Parse(await citizen.GetStringAsync("/open311/v2/services.xml")).Root!.Elements().First().Name.LocalName);
    }

    [Fact]
    public async Task Bad_posts_get_the_error_array_and_create_nothing()
    {
        using var citizen = Citizen();
        var code = await AnyServiceCode(citizen);
        var marker = "bad-post-" + Guid.NewGuid().ToString("N");
        (string, string)[] Valid(params (string, string)[] replace)
        {
            var fields = new Dictionary<string, string>
            {
                ["api_key"] = CommandCenterProcess.ReportKey, ["service_code"] = code, ["lat"] = "36.54", ["long"] = "104.17", ["description"] = marker,
            };
            foreach (var (name, value) in replace)
                if (value.Length == 0) fields.Remove(name); else fields[name] = value;
            return fields.Select(f => (f.Key, f.Value)).ToArray();
        }

        async Task Refused((string, string)[] fields, HttpStatusCode status, string mentions)
        {
            var response = await citizen.PostAsync("/open311/v2/requests.json", Form(fields));
            Assert.Equal(status, response.StatusCode);
            var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
            Assert.Equal((int)status, error.GetProperty("code").GetInt32());
            Assert.Contains(mentions, error.GetProperty("description").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        await Refused(Valid(("api_key", "")), HttpStatusCode.Forbidden, "api_key");
        await Refused(Valid(("api_key", "not-a-key")), HttpStatusCode.Forbidden, "api_key");
        // A key that may read the API but not report.
        await Refused(Valid(("api_key", CommandCenterProcess.ApiKey)), HttpStatusCode.Forbidden, "report");
        await Refused(Valid(("service_code", "")), HttpStatusCode.BadRequest, "service_code");
        await Refused(Valid(("service_code", "no-such-service")), HttpStatusCode.NotFound, "no-such-service");
        await Refused(Valid(("lat", "north")), HttpStatusCode.BadRequest, "lat");
        await Refused(Valid(("lat", "91")), HttpStatusCode.BadRequest, "lat");
        await Refused(Valid(("long", "")), HttpStatusCode.BadRequest, "long");
        await Refused(Valid(("lat", ""), ("long", "")), HttpStatusCode.BadRequest, "location");
        await Refused(Valid(("description", new string('长', 4001))), HttpStatusCode.BadRequest, "description");
        await Refused(Valid(("media_url", "javascript:alert(1)")), HttpStatusCode.BadRequest, "media_url");
        await Refused(Valid(("media_url", "https://x.example/" + new string('a', 2100))), HttpStatusCode.BadRequest, "media_url");
        await Refused(Valid(("email", "nobody")), HttpStatusCode.BadRequest, "email");

        var json = await citizen.PostAsJsonAsync("/open311/v2/requests.json", new { api_key = CommandCenterProcess.ReportKey, service_code = code });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(400, (await json.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("code").GetInt32());

        var missing = await citizen.GetAsync("/open311/v2/requests/C00000000000000.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(404, (await missing.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("code").GetInt32());
        var xmlMissing = XDocument.Parse(await (await citizen.GetAsync("/open311/v2/services/no-such-service.xml")).Content.ReadAsStringAsync());
        Assert.Equal("404", xmlMissing.Root!.Element("error")!.Element("code")!.Value);
        var badDate = await citizen.GetAsync("/open311/v2/requests.json?start_date=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.GetAsync("/open311/v2/requests.json?status=pending")).StatusCode);

        // None of the refused posts left a request behind.
        var listed = await citizen.GetFromJsonAsync<JsonElement>($"/open311/v2/requests.json?service_code={code}");
        Assert.DoesNotContain(listed.EnumerateArray(), r => r.GetProperty("description").GetString() == marker);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>Reads the HTTP API as an outside script would: plain JSON, no shared types.</summary>
public static class ApiClient
{
    public static async Task<JsonElement[]> Alerts(this HttpClient api, string state = "active") =>
        await api.GetFromJsonAsync<JsonElement[]>($"/api/alerts?state={state}") ?? [];

    public static async Task<JsonElement?> AlertOf(this HttpClient api, string device, string type, string state = "active") =>
        (await api.Alerts(state)).Cast<JsonElement?>().FirstOrDefault(a =>
            a!.Value.GetProperty("key").GetProperty("deviceId").GetString() == device &&
            a.Value.GetProperty("key").GetProperty("type").GetString() == type);

    public static async Task<JsonElement> Stats(this HttpClient api) =>
        await api.GetFromJsonAsync<JsonElement>("/api/gateway/stats");

    /// <summary>A record's JSON, or null while the node cannot answer for it (not found yet, its grain still moving, the node busy).</summary>
    public static async Task<JsonElement?> JsonOrNull(this HttpClient api, string path)
    {
        try
        {
            using var response = await api.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The dashboard asked for at the client's node with a copied sign-in cookie, as a browser of someone else would:
    /// 200 while its sign-in holds, a redirect to sign in once it has ended.
    /// </summary>
    public static async Task<HttpStatusCode> WithCopiedCookie(this HttpClient api, string cookie)
    {
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        using var answer = await replay.SendAsync(request);
        if (answer.StatusCode == HttpStatusCode.Redirect) Xunit.Assert.Contains("/login", answer.Headers.Location?.OriginalString);
        return answer.StatusCode;
    }
}

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
}

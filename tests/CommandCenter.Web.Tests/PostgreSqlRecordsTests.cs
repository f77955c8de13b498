using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Grains.Tests;

namespace CommandCenter.Web.Tests;

/// <summary>The command center with <c>Storage:PostgreSql</c> set: its records outlive the node and its data directory.</summary>
[Collection(OwnHosts.Name)]
public sealed class PostgreSqlRecordsTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();
    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task An_alert_raised_on_one_node_is_listed_by_a_node_with_another_data_directory_after_a_crash()
    {
        var settings = new Dictionary<string, string> { ["Storage__PostgreSql"] = await _postgres.CreateDatabase() };
        var now = DateTimeOffset.Now;
        string alertId;
        await using (var first = new CommandCenterProcess(settings: settings))
        {
            await first.Start();
            for (var i = 0; i < 3; i++) await first.PublishReading("pg-s1", 160 + i, now.AddSeconds(i));
            var alert = await Waiting.Until(() => first.Api.AlertOf("pg-s1", "exceed-a34004"), a => a is not null,
                TimeSpan.FromSeconds(20), "the exceedance alert");
            alertId = alert!.Value.GetProperty("id").GetString()!;
            (await first.Api.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).EnsureSuccessStatusCode();
            // Answered 2xx: committed in PostgreSQL, so a crash right after keeps it.
            await first.Kill();
        }

        // A fresh data directory: nothing of the first node's SQLite file, only the shared database.
        await using var second = new CommandCenterProcess(settings: settings);
        await second.Start();
        var listed = await second.Api.AlertOf("pg-s1", "exceed-a34004");
        Assert.Equal(alertId, listed!.Value.GetProperty("id").GetString());
        Assert.Equal("acknowledged", listed.Value.GetProperty("state").GetString());
        var statistics = await second.Api.GetAsync("/api/cases/statistics");
        Assert.True(statistics.IsSuccessStatusCode, await statistics.Content.ReadAsStringAsync());
    }
}

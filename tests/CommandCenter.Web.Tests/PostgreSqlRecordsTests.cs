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

    [Fact]
    public async Task Nodes_starting_together_share_the_accounts_and_the_device_registry_and_a_password_change_outlives_a_crash()
    {
        var settings = new Dictionary<string, string> { ["Storage__PostgreSql"] = await _postgres.CreateDatabase() };
        await using var first = new CommandCenterProcess(settings: settings);
        await using var second = new CommandCenterProcess(settings: settings);
        // Both migrate and seed the same empty database at once: each must start, neither seeding twice.
        await Task.WhenAll(first.Start(), second.Start());

        await first.Register("handheld", "pg-hh1");
        using (var desk = new FormClient(first.BaseAddress))
        {
            Assert.True(FormClient.SignedIn(await desk.SignIn("operator", "Operator#2026")));
            Assert.Equal("Your password has been changed.", await FormClient.MessageOf(await desk.ChangePassword("Operator#2026", "Night-shift#41")));
        }
        // Answered: committed in PostgreSQL, so killing the node right after keeps it.
        await first.Kill();

        using (var desk = new FormClient(second.BaseAddress))
        {
            Assert.False(FormClient.SignedIn(await desk.SignIn("operator", "Operator#2026")));
            Assert.True(FormClient.SignedIn(await desk.SignIn("operator", "Night-shift#41")));
        }

        // A node with a data directory of its own reads the registry and the accounts from the shared database.
        await using var third = new CommandCenterProcess(settings: settings);
        await third.Start();
        Assert.Contains("pg-hh1:", await third.Api.GetStringAsync("/api/devices/mosquitto/passwd"));
        using var thirdDesk = new FormClient(third.BaseAddress);
        Assert.True(FormClient.SignedIn(await thirdDesk.SignIn("operator", "Night-shift#41")));
        Assert.False(File.Exists(Path.Combine(third.DataDirectory, "accounts.db")));
    }
}

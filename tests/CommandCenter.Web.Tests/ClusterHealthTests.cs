using System.Net;
using CommandCenter.Grains.Tests;

namespace CommandCenter.Web.Tests;

/// <summary>
/// A cluster node's <c>/health</c> reports what the node depends on beyond itself: the Redis its membership, state and
/// reminders live in, and the records' PostgreSQL. A Redis that stops answering makes that node unhealthy, naming it.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class ClusterHealthTests
{
    [Fact]
    public async Task A_cluster_node_reports_redis_and_postgresql_and_is_unhealthy_naming_redis_once_redis_server_stops()
    {
        await using var redis = new RedisServer();
        await using var postgres = new PostgresServer();
        await Task.WhenAll(redis.Start(), postgres.InitializeAsync());
        var records = postgres.ConnectionString("postgres");
        await using var nodes = new ClusterNodes(1, redis, records);
        await nodes.Start();
        using var anonymous = new HttpClient { BaseAddress = nodes[0].BaseAddress };

        var (status, json) = await Report(anonymous);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", HealthReport.StatusOf(json, "redis"));
        Assert.StartsWith("PING answered", HealthReport.DescriptionOf(json, "redis"));
        Assert.Equal("Healthy", HealthReport.StatusOf(json, "storage"));
        Assert.Contains("PostgreSQL", HealthReport.DescriptionOf(json, "storage"));
        Assert.DoesNotContain(records, json);
        Assert.DoesNotContain(redis.ConnectionString, json);

        await redis.Stop();

        var (down, report) = await Waiting.Until(() => Report(anonymous), r => HealthReport.StatusOf(r.Json, "redis") == "Unhealthy",
            TimeSpan.FromSeconds(60), "the redis entry unhealthy");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal("Unhealthy", HealthReport.Status(report));
        Assert.StartsWith("PING not answered", HealthReport.DescriptionOf(report, "redis"));
        // PostgreSQL still answers: the report names what is wrong, not everything.
        Assert.Equal("Healthy", HealthReport.StatusOf(report, "storage"));
    }

    private static async Task<(HttpStatusCode Status, string Json)> Report(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using CommandCenter.Grains.Tests;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Failover of a three-node cluster (Redis + PostgreSQL), measured: each round kills one node with SIGKILL while three
/// handhelds send it QoS 1 events, and takes the time from the kill to each handheld's first event accepted through
/// a survivor, and the acknowledged events without an alert afterwards (must be 0); the node comes back before the
/// next round. CLUSTER_BENCH=10 runs ten kills.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class FailoverBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact("CLUSTER_BENCH")]
    public async Task Failover_time_after_sigkill_and_acknowledged_events_lost()
    {
        var kills = BenchmarkSettings.Int("CLUSTER_BENCH", 10);
        await using var redis = new RedisServer();
        await using var postgres = new PostgresServer();
        await Task.WhenAll(redis.Start(), postgres.InitializeAsync());
        await using var cluster = new ClusterNodes(3, redis, await postgres.CreateDatabase());
        await cluster.Start();
        var live = cluster.Nodes.ToList();

        var failover = new List<double>();
        var lost = 0;
        for (var round = 0; round < kills; round++)
        {
            var victim = live[round % live.Count];
            var survivor = live[(round + 1) % live.Count];
            var ids = Enumerable.Range(1, 3).Select(i => $"bench-r{round}-h{i}").ToArray();
            foreach (var id in ids)
                foreach (var node in live) await node.Register("handheld", id);

            var acknowledged = new ConcurrentBag<string>();
            var killed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = Stopwatch.StartNew();
            var devices = ids.Select(id => new FailoverTests.Handheld(id, victim.MqttPort, survivor.MqttPort, afterKill: 5, prefix: "bench")).ToList();
            var flows = devices.Select(d => d.Run(acknowledged, killed.Task, clock)).ToList();
            await Waiting.Until(() => Task.FromResult(devices.Min(d => d.Acknowledged)), n => n >= 10, TimeSpan.FromSeconds(60), "events flowing");
            var killAt = clock.Elapsed;
            await victim.Kill();
            killed.SetResult(killAt);
            await Task.WhenAll(flows);
            failover.AddRange(devices.Select(d => (d.FirstAfterKill - killAt).TotalSeconds));
            var taken = (await FailoverTests.Alerts(survivor, ids)).ToHashSet();
            lost += acknowledged.Count(a => !taken.Contains(a));
            foreach (var device in devices) device.Dispose();

            // The node comes back on its data before the next round.
            var restarted = cluster.Add(victim.DataDirectory);
            await restarted.Start();
            live[live.IndexOf(victim)] = restarted;
        }

        output.WriteLine($"{kills} kills of one node of three, 3 handhelds each: served again after p50 {Percentiles.Of(failover, 50):0.00} s, " +
                         $"p99 {Percentiles.Of(failover, 99):0.00} s, max {failover.Max():0.00} s; acknowledged events lost: {lost}");
        Assert.Equal(0, lost);
    }
}

using CommandCenter.Grains.Video;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CommandCenter.Grains.Tests;

/// <summary>The lease that decides which node relays a camera, on a clock the test moves (lease 30 s by default).</summary>
public sealed class RelayOwnerTests : IAsyncLifetime
{
    private GrainCluster _cluster = null!;

    private SiloHandle _second = null!;

    public async Task InitializeAsync()
    {
        _cluster = await GrainCluster.Start(settings: new Dictionary<string, string?> { [GrainCluster.FakeClockStart] = "2026-06-01T08:00:00Z" });
        // A second live silo stands for the other node (an address no membership table knows counts as dead).
        _second = await _cluster.Cluster.StartAdditionalSiloAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private SiloAddress PrimarySilo => _cluster.Cluster.Primary!.SiloAddress;
    private RelayNode NodeA => new(PrimarySilo, "http://node-a");
    private RelayNode NodeB => new(_second.SiloAddress, "http://node-b");

    /// <summary>Moves both silos' clocks: the grain lives on either.</summary>
    private void Advance(TimeSpan by)
    {
        _cluster.FakeClock.Advance(by);
        ((FakeTimeProvider)((InProcessSiloHandle)_second).SiloHost.Services.GetRequiredKeyedService<TimeProvider>(RuleClock.Key)).Advance(by);
    }

    private IRelayOwnerGrain Camera(string id) => _cluster.Grains.GetGrain<IRelayOwnerGrain>(id);

    [Fact]
    public async Task The_first_claimant_owns_the_camera_and_later_claimants_are_sent_to_it()
    {
        var camera = Camera("cam-first");
        Assert.Null(await camera.Owner());
        Assert.Equal(NodeA, await camera.Claim(NodeA));
        Assert.Equal(NodeA, await camera.Claim(NodeB));
        Assert.Equal(NodeA, await camera.Claim(NodeA));
        Assert.False(await camera.Renew(NodeB));
    }

    [Fact]
    public async Task A_lease_not_renewed_expires_and_the_next_claim_takes_it()
    {
        var camera = Camera("cam-expire");
        await camera.Claim(NodeA);
        Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(NodeA, await camera.Claim(NodeB));
        Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(NodeB, await camera.Claim(NodeB));
        Assert.Equal(NodeB, await camera.Owner());
        Assert.False(await camera.Renew(NodeA));
    }

    [Fact]
    public async Task Renewing_keeps_the_lease_past_its_first_length()
    {
        var camera = Camera("cam-renew");
        await camera.Claim(NodeA);
        for (var i = 0; i < 5; i++)
        {
            Advance(TimeSpan.FromSeconds(10));
            Assert.True(await camera.Renew(NodeA));
        }
        Assert.Equal(NodeA, await camera.Claim(NodeB));
    }

    [Fact]
    public async Task A_released_lease_goes_to_the_next_claimant_and_only_the_owner_can_release()
    {
        var camera = Camera("cam-release");
        await camera.Claim(NodeA);
        await camera.Release(NodeB);
        Assert.Equal(NodeA, await camera.Owner());
        await camera.Release(NodeA);
        Assert.Null(await camera.Owner());
        Assert.Equal(NodeB, await camera.Claim(NodeB));
    }

    [Fact]
    public async Task The_lease_of_a_silo_declared_dead_passes_at_once()
    {
        var onSecond = NodeB;
        await _cluster.Cluster.StopSiloAsync(_second);

        // Its lease is fresh (the clock does not move); only the membership's verdict can end it.
        var camera = Camera("cam-dead-owner");
        Assert.Equal(onSecond, await camera.Claim(onSecond));
        await GrainCluster.Eventually(() => camera.Claim(NodeA), owner => owner == NodeA, TimeSpan.FromSeconds(20), "moved off the dead silo");
    }
}

using System.Net;
using CommandCenter.Grains.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using OrleansCluster = Orleans.Configuration.ClusterOptions;

namespace CommandCenter.Web.Cluster;

public static class ClusterExtensions
{
    /// <summary>
    /// One embedded node, or a node of a cluster over Redis: the one place that decides. Called after the grains are
    /// added, because on a cluster it replaces their embedded grain storage.
    /// </summary>
    public static ISiloBuilder UseCommandCenterCluster(this ISiloBuilder silo, IConfiguration configuration, OrleansOptions orleans)
    {
        var services = silo.Services;
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section)
            .Validate(o => o.IsValid(), $"{ClusterOptions.Section}: AdvertisedAddress must be an IP address, NodeUrl empty or an absolute URL, the membership times and counts positive")
            .ValidateOnStart();
        silo.Configure<OrleansCluster>(o => { o.ClusterId = orleans.ClusterId; o.ServiceId = orleans.ServiceId; });

        // The provider is chosen here, from whether Cluster:Redis is set; everything else is read through options.
        var redis = configuration[$"{ClusterOptions.Section}:{nameof(ClusterOptions.Redis)}"];
        if (string.IsNullOrWhiteSpace(redis))
            return silo
                .UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort)
                .Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);

        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(redis));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisConnection.Options(redis));
        services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterOptions>>((endpoints, cluster) =>
        {
            // Listens where it advertises: on one machine the loopback, on several the address the others reach.
            endpoints.AdvertisedIPAddress = IPAddress.TryParse(cluster.Value.AdvertisedAddress, out var address) ? address : IPAddress.Loopback;
            endpoints.SiloPort = orleans.SiloPort;
            endpoints.GatewayPort = orleans.GatewayPort;
        });
        services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<ClusterOptions>>((membership, cluster) =>
        {
            var c = cluster.Value;
            membership.ProbeTimeout = c.ProbeTimeout;
            membership.NumMissedProbesLimit = c.NumMissedProbesLimit;
            membership.NumVotesForDeathDeclaration = c.NumVotesForDeathDeclaration;
            membership.DeathVoteExpirationTimeout = c.DeathVoteExpirationTimeout;
            membership.TableRefreshTimeout = c.TableRefreshTimeout;
            membership.IAmAliveTablePublishTimeout = c.IAmAliveTablePublishTimeout;
        });
        services.AddOptions<SiloMessagingOptions>().Configure<IOptions<ClusterOptions>>((messaging, cluster) =>
            messaging.ResponseTimeout = cluster.Value.ResponseTimeout);

        // Grain state in Redis, as the JSON the embedded storage writes, under keys the start-up scan can find.
        services.RemoveAllKeyed<IGrainStorage>(StorageNames.State);
        silo.AddRedisGrainStorage(StorageNames.State, o =>
        {
            o.ConfigurationOptions = RedisConnection.Options(redis);
            o.GrainStorageSerializer = new JsonGrainStateSerializer();
            o.GetStorageKey = (stateName, grainId) => RedisGrainState.Key(orleans.ServiceId, stateName, grainId);
        });
        services.AddSingleton(new RedisConnection(redis));
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        services.RemoveAll<IGrainStateScan>();
        services.AddSingleton<IGrainStateScan, RedisGrainStateScan>();

        // Sign-in cookies and protected settings must open on every node: one key ring in Redis per service, one
        // application name whatever directory a node runs from. PostConfigure, because the accounts set the files
        // repository later in start-up; a certificate that protects the keys (Accounts:KeysCertificate) still applies.
        services.AddOptions<KeyManagementOptions>().PostConfigure<RedisConnection>((keys, connection) =>
            keys.XmlRepository = new RedisXmlRepository(() => connection.Database, $"{orleans.ServiceId}/data-protection-keys"));
        services.AddOptions<DataProtectionOptions>().Configure(o => o.ApplicationDiscriminator = orleans.ServiceId);
        return silo;
    }
}

namespace CommandCenter.Web.Tests;

/// <summary>One running command center shared by the tests of a collection; each test uses its own device ids.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public CommandCenterProcess Host { get; } = new();

    public Task InitializeAsync() => Host.Start();
    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedHost : ICollectionFixture<HostFixture>
{
    public const string Name = "shared command center";
}

/// <summary>
/// Tests that start hosts of their own, with settings of their own: run alone, after the others, so that several
/// hosts starting at once do not starve the video tests of CPU on a small machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnHosts
{
    public const string Name = "own hosts, one at a time";
}

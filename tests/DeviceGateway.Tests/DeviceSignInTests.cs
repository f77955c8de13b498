using System.Diagnostics.Metrics;
using System.Net;
using CommandCenter.DeviceGateway;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.DeviceGateway.Tests;

/// <summary>The sign-in limits over a real registry in SQLite; time is a fake clock, so windows end when the test says.</summary>
public sealed class DeviceSignInTests : IAsyncLifetime
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress Elsewhere = IPAddress.Parse("198.51.100.9");
    private readonly string _directory = Directory.CreateTempSubdirectory("sign-in-test-").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-03-01T08:00:00Z"));
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private SqliteStore _store = null!;
    private GatewayStats _stats = null!;

    public async Task InitializeAsync()
    {
        _store = OpenStore();
        var registry = new DeviceRegistry(_store, _clock);
        foreach (var id in new[] { "hh-1", "hh-2", "hh-3" })
            await registry.Register(DeviceKind.Handheld, id, new($"secret-of-{id}-0123456789", null, null, null, null));
        // Reopened, as after a restart: no secret is remembered as checked.
        await _store.DisposeAsync();
        _store = OpenStore();
        _stats = new GatewayStats(Options.Create(new GatewayOptions()), NullLogger<GatewayStats>.Instance, _metrics.GetRequiredService<IMeterFactory>());
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    private SqliteStore OpenStore() => new(Options.Create(new StorageOptions { DataDirectory = _directory }), NullLogger<SqliteStore>.Instance);

    private DeviceSignIn SignIn(int perAddress, int perDevice) => new(new DeviceRegistry(_store, _clock), _stats,
        Options.Create(new DeviceSignInOptions { FailuresPerAddress = perAddress, FailuresPerDevice = perDevice, Window = TimeSpan.FromMinutes(10) }),
        _clock, NullLogger<DeviceSignIn>.Instance);

    [Fact]
    public async Task An_address_past_its_failures_is_refused_unchecked_until_the_window_ends()
    {
        var signIn = SignIn(perAddress: 3, perDevice: 100);
        for (var i = 0; i < 10; i++)
            Assert.Null((await signIn.SignIn("hh-1", $"guess-{i}-0123456789", Attacker)).Device);
        Assert.Equal(3, _stats.Snapshot().SecretChecks);

        var blocked = await signIn.SignIn("hh-1", "secret-of-hh-1-0123456789", Attacker);
        Assert.Equal(SignInRefusal.Limited, blocked.Refusal);
        Assert.Equal(3, _stats.Snapshot().SecretChecks);
        Assert.NotNull((await signIn.SignIn("hh-2", "secret-of-hh-2-0123456789", Elsewhere)).Device);

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(SignInRefusal.Limited, (await signIn.SignIn("hh-1", "secret-of-hh-1-0123456789", Attacker)).Refusal);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull((await signIn.SignIn("hh-1", "secret-of-hh-1-0123456789", Attacker)).Device);
        Assert.Equal(5, _stats.Snapshot().SecretChecks);
    }

    [Fact]
    public async Task Guesses_at_one_device_from_many_addresses_stop_at_the_device_limit_but_a_checked_secret_still_gets_in()
    {
        var signIn = SignIn(perAddress: 100, perDevice: 4);
        Assert.NotNull((await signIn.SignIn("hh-3", "secret-of-hh-3-0123456789", Elsewhere)).Device);
        for (var i = 0; i < 12; i++)
            Assert.Null((await signIn.SignIn("hh-3", $"guess-{i}-0123456789", IPAddress.Parse($"203.0.113.{i + 1}"))).Device);
        Assert.Equal(1 + 4, _stats.Snapshot().SecretChecks);

        // The real device's secret was checked once already: it needs no check and no permission.
        Assert.NotNull((await signIn.SignIn("hh-3", "secret-of-hh-3-0123456789", Elsewhere)).Device);
        Assert.Equal(1 + 4, _stats.Snapshot().SecretChecks);
    }

    [Fact]
    public async Task A_repeated_wrong_secret_costs_no_check_but_still_counts_as_a_failure()
    {
        var signIn = SignIn(perAddress: 3, perDevice: 100);
        for (var i = 0; i < 3; i++)
            Assert.Equal(SignInRefusal.WrongCredentials, (await signIn.SignIn("hh-1", "same-guess-0123456789", Attacker)).Refusal);
        Assert.Equal(1, _stats.Snapshot().SecretChecks);
        Assert.Equal(SignInRefusal.Limited, (await signIn.SignIn("hh-1", "another-guess-0123456789", Attacker)).Refusal);
        Assert.Equal(1, _stats.Snapshot().SecretChecks);
    }
}

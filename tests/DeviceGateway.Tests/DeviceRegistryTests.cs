using System.Security.Cryptography;
using System.Text;
using CommandCenter.DeviceGateway.Mqtt;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using CommandCenter.Grains.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class SecretHasherTests
{
    [Fact]
    public void A_hash_verifies_its_secret_only_and_is_salted()
    {
        var first = SecretHasher.Hash("a-device-secret-0123456789", iterations: 1000);
        var second = SecretHasher.Hash("a-device-secret-0123456789", iterations: 1000);
        Assert.NotEqual(first, second);
        Assert.True(SecretHasher.Verify("a-device-secret-0123456789", first));
        Assert.True(SecretHasher.Verify("a-device-secret-0123456789", second));
        Assert.False(SecretHasher.Verify("a-device-secret-012345678", first));
        Assert.DoesNotContain("a-device-secret", first);
    }

    [Fact]
    public void New_hashes_are_mosquitto_pbkdf2_sha512_with_at_least_210000_iterations()
    {
        var hash = SecretHasher.Hash("a-device-secret-0123456789");
        var parts = hash.Split('$');
        Assert.Equal(["", "7"], parts[..2]);
        Assert.True(int.Parse(parts[2]) >= 210_000);
        Assert.Equal(12, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[4]).Length);
        Assert.True(SecretHasher.IsMosquittoFormat(hash));
    }

    [Fact]
    public void Hashes_of_the_earlier_sha256_format_still_verify_but_are_not_mosquitto_format()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("a-device-secret-0123456789"), salt, 1000, HashAlgorithmName.SHA256, 32);
        var stored = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";
        Assert.True(SecretHasher.Verify("a-device-secret-0123456789", stored));
        Assert.False(SecretHasher.Verify("a-device-secret-012345678", stored));
        Assert.False(SecretHasher.IsMosquittoFormat(stored));
    }

    [Fact]
    public async Task A_hash_written_by_mosquitto_passwd_verifies_here()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("passwd-").FullName, "passwd");
        var start = new System.Diagnostics.ProcessStartInfo("mosquitto_passwd") { ArgumentList = { "-c", "-b", file, "dev-1", "a-device-secret-0123456789" } };
        using (var tool = System.Diagnostics.Process.Start(start)!) await tool.WaitForExitAsync();
        var stored = (await File.ReadAllTextAsync(file)).Trim().Split(':', 2)[1];
        Assert.True(SecretHasher.IsMosquittoFormat(stored));
        Assert.True(SecretHasher.Verify("a-device-secret-0123456789", stored));
        Assert.False(SecretHasher.Verify("a-device-secret-012345678", stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text-secret")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAA")]
    [InlineData("$7$x$AAAA$AAAA")]
    [InlineData("$7$1000$AAAA")]
    [InlineData("$6$AAAA$AAAA")]
    public void A_stored_value_that_is_not_a_hash_verifies_nothing(string stored) =>
        Assert.False(SecretHasher.Verify("plain-text-secret", stored));
}

public sealed class DeviceAclTests
{
    private static readonly DeviceIdentity Hh1 = new(DeviceKind.Handheld, "hh-1");

    [Theory]
    [InlineData("cc/handheld/hh-1/telemetry", true)]
    [InlineData("cc/handheld/hh-1/event", true)]
    [InlineData("cc/handheld/hh-1/cmd/ack", true)]
    [InlineData("cc/handheld/hh-2/event", false)]
    [InlineData("cc/handheld/hh-10/event", false)]
    [InlineData("cc/handheld/hh-1", false)]
    [InlineData("cc/handheld/hh-1/", false)]
    [InlineData("cc/sensor/hh-1/telemetry", false)]
    [InlineData("other/handheld/hh-1/telemetry", false)]
    public void A_device_publishes_only_under_its_own_kind_and_id(string topic, bool allowed) =>
        Assert.Equal(allowed, DeviceAcl.MayPublish(Hh1, topic));

    [Theory]
    [InlineData("cc/handheld/hh-1/cmd", true)]
    [InlineData("#", false)]
    [InlineData("cc/#", false)]
    [InlineData("cc/handheld/hh-1/#", false)]
    [InlineData("cc/handheld/+/cmd", false)]
    [InlineData("cc/handheld/hh-1/telemetry", false)]
    [InlineData("cc/handheld/hh-2/cmd", false)]
    [InlineData("$share/g/cc/handheld/hh-1/cmd", false)]
    public void A_device_subscribes_only_to_its_own_command_topic(string filter, bool allowed) =>
        Assert.Equal(allowed, DeviceAcl.MaySubscribe(Hh1, filter));

    [Fact]
    public void A_gateway_user_speaks_for_any_device_but_only_under_cc()
    {
        var bridge = new GatewayUserIdentity("bridge");
        Assert.True(DeviceAcl.MayPublish(bridge, "cc/sensor/any/telemetry"));
        Assert.False(DeviceAcl.MayPublish(bridge, "$SYS/x"));
        Assert.True(DeviceAcl.MaySubscribe(bridge, "cc/+/+/cmd"));
        Assert.False(DeviceAcl.MaySubscribe(bridge, "#"));
    }
}

/// <summary>The registry over each record database: a real SQLite file and a real PostgreSQL started by the test.</summary>
public sealed class DeviceRegistryStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("registry-test-").FullName;
    private IRecordDatabase _store = null!;
    private string _postgreSql = "";

    public static TheoryData<string> Providers => new() { "sqlite", "postgresql" };

    private IRecordDatabase OpenStore() => _postgreSql.Length == 0
        ? new SqliteStore(Options.Create(new StorageOptions { DataDirectory = _directory }), NullLogger<SqliteStore>.Instance)
        : new PostgreSqlRecordDatabase(Options.Create(new StorageOptions { DataDirectory = _directory, PostgreSql = _postgreSql }),
            NullLogger<PostgreSqlRecordDatabase>.Instance);

    private async Task<IRecordDatabase> Open(string provider)
    {
        if (provider == "postgresql") _postgreSql = await postgres.CreateDatabase();
        return _store = OpenStore();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable store) await store.DisposeAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Ids_are_unique_across_kinds_and_records_survive_reopening(string provider)
    {
        var registry = new DeviceRegistry(await Open(provider), TimeProvider.System);
        Assert.Equal(RegistrationOutcome.Created, (await registry.Register(DeviceKind.Sensor, "s-1", new("secret-of-s-1-0123456789", "Monitor", 36.5, 104.1, null))).Outcome);
        Assert.Equal(RegistrationOutcome.KindConflict, (await registry.Register(DeviceKind.Camera, "s-1", new("secret-of-s-1-0123456789", null, null, null, null))).Outcome);
        Assert.Equal(RegistrationOutcome.Updated, (await registry.Register(DeviceKind.Sensor, "s-1", new(null, null, null, null, "620402") { Profile = "industrial" })).Outcome);
        Assert.False(await registry.EnsureListed(DeviceKind.Camera, "s-1", null, null, null));
        Assert.True(await registry.EnsureListed(DeviceKind.Camera, "cam-1", null, null, null));

        await ((IAsyncDisposable)_store).DisposeAsync();
        _store = OpenStore();
        var reopened = new DeviceRegistry(_store, TimeProvider.System);
        var record = reopened.Find("s-1")!;
        Assert.Equal((DeviceKind.Sensor, "Monitor", "620402", "industrial", 36.5, 104.1), (record.Kind, record.Name, record.District, record.Profile, record.Lat, record.Lon));
        Assert.Equal(registry.Find("s-1")!.UpdatedAt, record.UpdatedAt);
        Assert.Equal((DeviceKind.Camera, (double?)null), (reopened.Find("cam-1")!.Kind, reopened.Find("cam-1")!.Lat));
        Assert.NotNull(reopened.Authenticate("s-1", "secret-of-s-1-0123456789"));
        Assert.Null(reopened.Authenticate("s-1", "secret-of-s-2-0123456789"));
    }

    [Theory]
    [InlineData("620402/1")]
    [InlineData("  ")]
    [InlineData("6204\n02")]
    public async Task A_district_that_could_not_name_a_group_of_offline_devices_is_refused_with_a_reason(string district)
    {
        var registry = new DeviceRegistry(await Open("sqlite"), TimeProvider.System);
        var result = await registry.Register(DeviceKind.Handheld, "hh-d", new("secret-of-hh-d-0123456789", null, null, null, district));
        Assert.Equal(RegistrationOutcome.Invalid, result.Outcome);
        Assert.Contains("district", result.Error);
        Assert.Null(registry.Find("hh-d"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Rotating_a_secret_refuses_the_old_one_at_once_and_tells_the_broker(string provider)
    {
        var registry = new DeviceRegistry(await Open(provider), TimeProvider.System);
        var revoked = new List<string>();
        registry.CredentialsRevoked += d => { revoked.Add(d.Id); return Task.CompletedTask; };
        await registry.Register(DeviceKind.Handheld, "hh-1", new("old-secret-0123456789", null, null, null, null));
        Assert.NotNull(registry.Authenticate("hh-1", "old-secret-0123456789")); // now cached as verified

        // Registering again with the same secret (a device restarting) revokes nothing.
        await registry.Register(DeviceKind.Handheld, "hh-1", new("old-secret-0123456789", null, null, null, null));
        Assert.Empty(revoked);

        var secret = await registry.RotateSecret(DeviceKind.Handheld, "hh-1");
        Assert.NotNull(secret);
        Assert.Equal(["hh-1"], revoked);
        Assert.Null(registry.Authenticate("hh-1", "old-secret-0123456789"));
        Assert.NotNull(registry.Authenticate("hh-1", secret!));
        Assert.NotNull(new DeviceRegistry(_store, TimeProvider.System).Authenticate("hh-1", secret!));

        Assert.NotNull(await registry.Retire(DeviceKind.Handheld, "hh-1"));
        Assert.Equal(["hh-1", "hh-1"], revoked);
        Assert.Null(registry.Authenticate("hh-1", secret!));
        Assert.Null(new DeviceRegistry(_store, TimeProvider.System).Find("hh-1"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_copy_that_missed_changes_made_through_another_follows_them_all_when_read_again(string provider)
    {
        // Two nodes' copies over one record database; the second hears of nothing the first does (as when it is out of the feed).
        var first = new DeviceRegistry(await Open(provider), TimeProvider.System);
        await first.Register(DeviceKind.Handheld, "hh-kept", new("kept-secret-0123456789", "Kept", null, null, null));
        await first.Register(DeviceKind.Handheld, "hh-rekeyed", new("first-secret-0123456789", null, null, null, null));
        await first.Register(DeviceKind.Handheld, "hh-retired", new("retired-secret-0123456789", null, null, null, null));
        var second = new DeviceRegistry(_store, TimeProvider.System);
        var revoked = new List<string>();
        second.CredentialsRevoked += d => { revoked.Add(d.Id); return Task.CompletedTask; };
        Assert.NotNull(second.Authenticate("hh-rekeyed", "first-secret-0123456789"));

        await first.Register(DeviceKind.Sensor, "s-new", new("new-secret-0123456789", null, null, null, null));
        var secret = await first.RotateSecret(DeviceKind.Handheld, "hh-rekeyed");
        await first.Retire(DeviceKind.Handheld, "hh-retired");
        await first.Register(DeviceKind.Handheld, "hh-kept", new(null, "Renamed", null, null, null));
        Assert.Null(second.Find("s-new"));

        Assert.Equal(4, await second.RefreshAll());
        Assert.NotNull(second.Authenticate("s-new", "new-secret-0123456789"));
        Assert.Null(second.Authenticate("hh-rekeyed", "first-secret-0123456789"));
        Assert.NotNull(second.Authenticate("hh-rekeyed", secret!));
        Assert.Null(second.Find("hh-retired"));
        Assert.Equal("Renamed", second.Find("hh-kept")!.Name);
        // Connections go for a new secret and a retirement, as on the node that made them; a rename keeps them.
        Assert.Equal(["hh-rekeyed", "hh-retired"], revoked.Order());
        Assert.Equal(0, await second.RefreshAll());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_camera_listed_without_a_secret_cannot_authenticate_until_given_one(string provider)
    {
        var registry = new DeviceRegistry(await Open(provider), TimeProvider.System);
        Assert.True(await registry.EnsureListed(DeviceKind.Camera, "cam-1", "Gate", 36.5, 104.1));
        Assert.False(registry.Find("cam-1")!.HasSecret);
        Assert.Null(registry.Authenticate("cam-1", ""));
        Assert.Equal(RegistrationOutcome.Updated, (await registry.Register(DeviceKind.Camera, "cam-1", new("camera-secret-0123456789", null, null, null, null))).Outcome);
        Assert.NotNull(registry.Authenticate("cam-1", "camera-secret-0123456789"));
    }

    [Fact]
    public async Task A_registry_file_from_before_migrations_keeps_its_devices_and_gains_the_profile_column()
    {
        // The table as the registry made it before sensors had a profile, with one device in it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "state.db")}"))
        {
            old.Open();
            old.Execute("""
                CREATE TABLE device_registry (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, lat REAL, lon REAL, district TEXT,
                    secret_hash TEXT, registered_at TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
                INSERT INTO device_registry VALUES ('s-old', 'sensor', 'Old monitor', 36.5, 104.1, '620402', NULL, '2024-01-01T00:00:00.0000000Z', '2024-01-01T00:00:00.0000000Z');
                """);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var registry = new DeviceRegistry(await Open("sqlite"), TimeProvider.System);
        Assert.Equal("Old monitor", registry.Find("s-old")!.Name);
        Assert.Equal(RegistrationOutcome.Updated, (await registry.Register(DeviceKind.Sensor, "s-old", new("secret-of-s-old-0123", null, null, null, null) { Profile = "industrial" })).Outcome);
        Assert.Equal("industrial", new DeviceRegistry(_store, TimeProvider.System).Find("s-old")!.Profile);
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>
/// Who may connect as which device: one row per device id in the record database (embedded or PostgreSQL), mirrored in memory.
/// A table rather than a grain per device because the broker asks on every connect and must answer
/// without a grain call, and because ids are unique across kinds — one primary key enforces that, a
/// grain per (kind, id) could not. Every change is committed before it is answered or takes effect.
/// </summary>
public sealed partial class DeviceRegistry
{
    public const int MinSecretLength = 16;
    /// <summary>
    /// A pollution monitor's secret is the PW its HJ 212 data logger sends in every frame, which loggers keep short
    /// (the factory value is often <c>123456</c>); a city cannot re-key every monitor to 16 characters. Guessing it
    /// is bounded by the sign-in limits per address and per device (<see cref="DeviceSignIn"/>).
    /// </summary>
    public const int MinMonitorSecretLength = 6;
    public const int MaxSecretLength = 256;
    private const int MaxNameLength = 100;
    private const int MaxDistrictLength = 64;

    private readonly IRecordDatabase _store;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, DeviceRecord> _devices = new(StringComparer.Ordinal);
    // Secrets that passed PBKDF2 once, by device: a reconnect storm must not cost a PBKDF2 run per connect.
    // Kept as a keyed hash under a per-process key, never the secret, and tied to the hash it was checked against.
    private readonly ConcurrentDictionary<string, (string SecretHash, byte[] Fingerprint)> _verified = new(StringComparer.Ordinal);
    // The last wrong secret per device, so a client retrying the same wrong password costs no PBKDF2 run either.
    private readonly ConcurrentDictionary<string, (string SecretHash, byte[] Fingerprint)> _refused = new(StringComparer.Ordinal);
    private readonly byte[] _fingerprintKey = RandomNumberGenerator.GetBytes(32);
    private readonly SemaphoreSlim _writing = new(1, 1);

    private const string SelectColumns = "SELECT id, kind, name, lat, lon, district, secret_hash, registered_at, updated_at, profile FROM device_registry";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex DeviceIdPattern();

    /// <remarks>
    /// The table is made by the record migrations (versions 5 and 6), in the embedded file or in PostgreSQL. Read whole
    /// once here: the host builds the registry before the broker takes its first connect, so blocking start-up on
    /// that one read (on a pool thread, see <see cref="IRecordDatabase.ReadAsync{T}"/>) is what is wanted.
    /// </remarks>
    public DeviceRegistry(IRecordDatabase store, TimeProvider clock)
    {
        _store = store;
        _clock = clock;
        foreach (var record in store.ReadAsync(ReadAll).GetAwaiter().GetResult()) _devices[record.Id] = record;
    }

    private static List<DeviceRecord> ReadAll(DbConnection connection)
    {
        using var command = connection.Command(SelectColumns);
        using var reader = command.ExecuteReader();
        var read = new List<DeviceRecord>();
        while (reader.Read()) read.Add(ReadRecord(reader));
        return read;
    }

    /// <summary>
    /// Raised once a device's secret changed or it was retired, after the change is committed: its connections
    /// must go. The change is answered only once every handler has finished (the broker has dropped them).
    /// </summary>
    public event Func<DeviceRecord, Task>? CredentialsRevoked;

    /// <summary>
    /// Raised with a device's id once a change to its row (registration, new secret, retirement, listing) is committed
    /// here, so the other nodes of a cluster can re-read it (<see cref="Refresh"/>). Runs inside the change: only queue.
    /// </summary>
    public event Action<string>? Changed;

    public ICollection<DeviceRecord> Devices => _devices.Values;

    public DeviceRecord? Find(string id) => _devices.GetValueOrDefault(id);

    public static bool IsValidId(string id) => DeviceIdPattern().IsMatch(id);

    /// <summary>Registers a new device (a secret is required) or updates one; the id must not belong to another kind.</summary>
    public async Task<RegistrationResult> Register(DeviceKind kind, string id, DeviceRegistration registration)
    {
        if (Validate(kind, id, registration) is { } error) return new(RegistrationOutcome.Invalid, null, error);
        // PBKDF2 outside the lock: registrations of different devices need not wait for each other's hashing.
        var newHash = registration.Secret is { } secret ? SecretHasher.Hash(secret) : null;
        await _writing.WaitAsync();
        try
        {
            var existing = Find(id);
            if (existing is not null && existing.Kind != kind) return new(RegistrationOutcome.KindConflict, existing);
            if (existing is null && newHash is null) return new(RegistrationOutcome.SecretRequired, null);
            var now = _clock.GetUtcNow();
            // Re-registering with the secret a device already has (a simulator restarting) changes nothing for its connections.
            var secretChanged = newHash is not null && (existing?.SecretHash is not { } oldHash || !SecretHasher.Verify(registration.Secret!, oldHash));
            var record = existing is null
                ? new DeviceRecord(id, kind, registration.Name, registration.Lat, registration.Lon, registration.District, newHash, now, now, registration.Profile)
                : existing with
                {
                    Name = registration.Name ?? existing.Name,
                    Lat = registration.Lat ?? existing.Lat,
                    Lon = registration.Lon ?? existing.Lon,
                    District = registration.District ?? existing.District,
                    Profile = registration.Profile ?? existing.Profile,
                    SecretHash = secretChanged ? newHash : existing.SecretHash,
                    UpdatedAt = now,
                };
            await Save(record);
            if (existing is not null && secretChanged) await Revoked(record);
            // The secret was just hashed: its first connect needs no second PBKDF2 run.
            if (secretChanged) _verified[id] = (newHash!, Fingerprint(registration.Secret!));
            return new(existing is null ? RegistrationOutcome.Created : RegistrationOutcome.Updated, record);
        }
        finally { _writing.Release(); }
    }

    /// <summary>
    /// Lists a device registered some other way (a camera by its stream URL) without giving it a secret:
    /// it cannot connect over MQTT until one is set. False when the id belongs to another kind.
    /// </summary>
    public async Task<bool> EnsureListed(DeviceKind kind, string id, string? name, double? lat, double? lon)
    {
        await _writing.WaitAsync();
        try
        {
            var existing = Find(id);
            if (existing is not null) return existing.Kind == kind;
            var now = _clock.GetUtcNow();
            await Save(new DeviceRecord(id, kind, Trim(name, MaxNameLength), lat, lon, null, null, now, now));
            return true;
        }
        finally { _writing.Release(); }
    }

    /// <summary>Gives the device a new random secret and returns it — the only time it is ever shown.</summary>
    public async Task<string?> RotateSecret(DeviceKind kind, string id)
    {
        var secret = SecretHasher.NewSecret();
        var hash = SecretHasher.Hash(secret);
        await _writing.WaitAsync();
        try
        {
            if (Find(id) is not { } existing || existing.Kind != kind) return null;
            var record = existing with { SecretHash = hash, UpdatedAt = _clock.GetUtcNow() };
            await Save(record);
            await Revoked(record);
            return secret;
        }
        finally { _writing.Release(); }
    }

    /// <summary>Removes the device's registration: it can no longer connect, and its connections are dropped.</summary>
    public async Task<DeviceRecord?> Retire(DeviceKind kind, string id)
    {
        await _writing.WaitAsync();
        try
        {
            if (Find(id) is not { } existing || existing.Kind != kind) return null;
            await _store.WriteAsync(connection =>
            {
                using var command = connection.Command("DELETE FROM device_registry WHERE id = @id").With("@id", id);
                command.ExecuteNonQuery();
            });
            _devices.TryRemove(id, out _);
            Committed(id);
            await Revoked(existing);
            return existing;
        }
        finally { _writing.Release(); }
    }

    /// <summary>The registered device whose id and secret these are, or null.</summary>
    public DeviceRecord? Authenticate(string id, string secret) => Authenticate(id, secret, out _);

    /// <summary>
    /// The registered device whose id and secret these are, or null; <paramref name="hashed"/> tells whether that
    /// took a PBKDF2 run (the verdict was not remembered). Device sign-ins go through <see cref="DeviceSignIn"/>,
    /// which asks <see cref="Recall"/> first and limits who may cause a run.
    /// </summary>
    public DeviceRecord? Authenticate(string id, string secret, out bool hashed)
    {
        hashed = false;
        if (Find(id) is not { SecretHash: { } hash } device) return null;
        var fingerprint = Fingerprint(secret);
        if (Matches(_verified, id, hash, fingerprint)) return device;
        if (Matches(_refused, id, hash, fingerprint)) return null;
        hashed = true;
        if (!SecretHasher.Verify(secret, hash))
        {
            _refused[id] = (hash, fingerprint);
            return null;
        }
        _verified[id] = (hash, fingerprint);
        return device;
    }

    /// <summary>What is known about this id and secret without a PBKDF2 run.</summary>
    public SecretRecall Recall(string id, string secret, out DeviceRecord? device)
    {
        device = Find(id);
        if (device is not { SecretHash: { } hash })
        {
            device = null;
            return SecretRecall.NoSuchDevice;
        }
        var fingerprint = Fingerprint(secret);
        if (Matches(_verified, id, hash, fingerprint)) return SecretRecall.Verified;
        if (Matches(_refused, id, hash, fingerprint))
        {
            device = null;
            return SecretRecall.Refused;
        }
        return SecretRecall.Unchecked;
    }

    private static bool Matches(ConcurrentDictionary<string, (string SecretHash, byte[] Fingerprint)> cache, string id, string hash, byte[] fingerprint) =>
        cache.TryGetValue(id, out var entry) && ReferenceEquals(entry.SecretHash, hash) && CryptographicOperations.FixedTimeEquals(entry.Fingerprint, fingerprint);

    private byte[] Fingerprint(string secret) => HMACSHA256.HashData(_fingerprintKey, Encoding.UTF8.GetBytes(secret));

    private async Task Revoked(DeviceRecord record)
    {
        _verified.TryRemove(record.Id, out _);
        _refused.TryRemove(record.Id, out _);
        if (CredentialsRevoked is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<DeviceRecord, Task>>()) await handler(record);
    }

    private async Task Save(DeviceRecord record)
    {
        await _store.WriteAsync(connection =>
        {
            using var command = connection.Command("""
                INSERT INTO device_registry (id, kind, name, lat, lon, district, secret_hash, registered_at, updated_at, profile)
                VALUES (@id, @kind, @name, @lat, @lon, @district, @hash, @registered, @updated, @profile)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, lat = excluded.lat, lon = excluded.lon,
                    district = excluded.district, secret_hash = excluded.secret_hash, updated_at = excluded.updated_at, profile = excluded.profile
                """)
                .With("@id", record.Id).With("@kind", record.Kind.Name()).With("@name", record.Name).With("@lat", record.Lat).With("@lon", record.Lon)
                .With("@district", record.District).With("@hash", record.SecretHash)
                .With("@registered", record.RegisteredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))
                .With("@updated", record.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).With("@profile", record.Profile);
            command.ExecuteNonQuery();
        });
        _devices[record.Id] = record;
        Committed(record.Id);
    }

    private void Committed(string id)
    {
        try
        {
            Changed?.Invoke(id);
        }
        catch (Exception)
        {
            // Telling other nodes is best effort: the change is committed and in force here, and a node that misses
            // it reads the whole table when it next starts. A handler that throws must not turn it into an error.
        }
    }

    /// <summary>
    /// Re-reads one device's row, changed by another node of the cluster: the copy in memory follows it, and when
    /// the device was retired or given another secret its connections to this node are dropped as on the node that
    /// made the change. Read under the write lock so a change made here at the same moment is not overwritten by an
    /// older read.
    /// </summary>
    public async Task Refresh(string id)
    {
        await _writing.WaitAsync();
        try
        {
            var stored = await _store.ReadAsync(connection =>
            {
                using var command = connection.Command(SelectColumns + " WHERE id = @id").With("@id", id);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadRecord(reader) : null;
            });
            await Follow(id, stored);
        }
        finally { _writing.Release(); }
    }

    /// <summary>
    /// Re-reads the whole table, for a node that was out of the cluster's live feed for a while and so missed the
    /// changes other nodes announced meanwhile: each device that differs is followed as by <see cref="Refresh"/>.
    /// </summary>
    /// <returns>How many devices were registered, changed or retired since this copy last followed them.</returns>
    public async Task<int> RefreshAll()
    {
        await _writing.WaitAsync();
        try
        {
            var stored = (await _store.ReadAsync(ReadAll)).ToDictionary(record => record.Id, StringComparer.Ordinal);
            var changed = 0;
            foreach (var id in stored.Keys.Union(_devices.Keys, StringComparer.Ordinal).ToList())
                if (await Follow(id, stored.GetValueOrDefault(id))) changed++;
            return changed;
        }
        finally { _writing.Release(); }
    }

    /// <summary>Takes a device's committed row (null: retired) into the copy in memory; called under the write lock.</summary>
    /// <returns>Whether the copy changed.</returns>
    private async Task<bool> Follow(string id, DeviceRecord? stored)
    {
        var existing = Find(id);
        if (stored is null)
        {
            if (!_devices.TryRemove(id, out var retired)) return false;
            await Revoked(retired);
            return true;
        }
        if (stored == existing) return false;
        // The remembered verdicts are tied to the hash string itself: keep it when the secret did not change.
        var sameSecret = existing is not null && existing.SecretHash == stored.SecretHash;
        if (sameSecret) stored = stored with { SecretHash = existing!.SecretHash };
        _devices[id] = stored;
        if (existing is not null && !sameSecret) await Revoked(stored);
        return true;
    }

    private static DeviceRecord ReadRecord(DbDataReader reader)
    {
        DeviceKinds.TryParse(reader.GetString(1), out var kind);
        return new DeviceRecord(reader.GetString(0), kind, NullableString(reader, 2), NullableDouble(reader, 3), NullableDouble(reader, 4),
            NullableString(reader, 5), NullableString(reader, 6), DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture), NullableString(reader, 9));
    }

    private static string? Validate(DeviceKind kind, string id, DeviceRegistration registration)
    {
        if (!IsValidId(id)) return "The device id must be 1-64 of A-Z a-z 0-9 . _ -.";
        var minimum = kind == DeviceKind.Sensor ? MinMonitorSecretLength : MinSecretLength;
        if (registration.Secret is { } secret && (secret.Length < minimum || secret.Length > MaxSecretLength || secret.Any(char.IsControl)))
            return $"secret must be {minimum}-{MaxSecretLength} characters without control characters.";
        // An HJ 212 frame carries the PW between separators, so a monitor's secret cannot hold them.
        if (kind == DeviceKind.Sensor && registration.Secret is { } pw && pw.IndexOfAny([';', '=', '&', ',']) >= 0)
            return "a sensor's secret is its HJ 212 PW and must not contain ; = & or ,";
        if (registration.Name?.Length > MaxNameLength) return $"name must be at most {MaxNameLength} characters.";
        if (registration.District?.Length > MaxDistrictLength) return $"district must be at most {MaxDistrictLength} characters.";
        // Offline alerts are grouped under a key built from the district, where '/' separates the parts.
        if (registration.District is { } district && (string.IsNullOrWhiteSpace(district) || district.Any(c => c == '/' || char.IsControl(c))))
            return "district must not be blank or contain / or control characters (a GB/T 2260 code such as 620402).";
        if (registration.Profile is not null && kind != DeviceKind.Sensor) return "profile is for sensors only.";
        if (registration.Profile?.Length > MaxDistrictLength) return $"profile must be at most {MaxDistrictLength} characters.";
        if (registration.Lat is { } lat && (!double.IsFinite(lat) || lat is < -90 or > 90)) return "lat must be -90..90.";
        if (registration.Lon is { } lon && (!double.IsFinite(lon) || lon is < -180 or > 180)) return "lon must be -180..180.";
        return null;
    }

    private static string? Trim(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    private static string? NullableString(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static double? NullableDouble(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);
}

using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Registry;

public enum SignInRefusal { None, WrongCredentials, Limited, Busy }

/// <summary>A device sign-in's outcome: the device, or why not (<see cref="Detail"/> is for the log and the counters).</summary>
public readonly record struct SignInResult(DeviceRecord? Device, SignInRefusal Refusal, string? Detail)
{
    public static SignInResult Refused(SignInRefusal refusal, string detail) => new(null, refusal, detail);
}

/// <summary>
/// The one way a device signs in, over MQTT or HJ 212. A secret the registry already checked costs nothing; any other
/// costs a PBKDF2 run, so those are limited: per client address and per device id, failures within
/// <see cref="DeviceSignInOptions.Window"/> are counted (checks still running count as failures until they end, so a
/// burst of connections cannot slip past the limit), and beyond the limit sign-ins are refused unchecked. The runs
/// themselves share a few cores (<see cref="DeviceSignInOptions.MaxConcurrentChecks"/>) behind a bounded queue, so
/// a good device from elsewhere waits at most for the few checks ahead of it. Counts are kept in memory, per node.
/// </summary>
public sealed class DeviceSignIn
{
    /// <summary>Tracked keys before expired ones are swept: a bound on memory when many addresses guess.</summary>
    private const int SweepAbove = 10_000;

    private sealed class Failures
    {
        public int Count;
        public int Checking;
        public DateTimeOffset WindowStart;
    }

    private readonly DeviceRegistry _registry;
    private readonly GatewayStats _stats;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeviceSignIn> _logger;
    private readonly DeviceSignInOptions _settings;
    private readonly SemaphoreSlim _checks;
    private readonly ConcurrentDictionary<string, Failures> _byAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Failures> _byDevice = new(StringComparer.Ordinal);
    private int _queued;

    public DeviceSignIn(DeviceRegistry registry, GatewayStats stats, IOptions<DeviceSignInOptions> options, TimeProvider clock, ILogger<DeviceSignIn> logger)
    {
        _registry = registry;
        _stats = stats;
        _clock = clock;
        _logger = logger;
        _settings = options.Value;
        _checks = new SemaphoreSlim(_settings.ConcurrentChecks);
    }

    /// <summary>Signs in <paramref name="deviceId"/> with <paramref name="secret"/> from <paramref name="client"/>.</summary>
    public async ValueTask<SignInResult> SignIn(string deviceId, string secret, IPAddress? client, CancellationToken cancellationToken = default)
    {
        var address = ClientAddress.KeyOf(client);
        switch (_registry.Recall(deviceId, secret, out var known))
        {
            case SecretRecall.Verified:
                return new SignInResult(known, SignInRefusal.None, null);
            case SecretRecall.NoSuchDevice:
                // Unknown ids count against the address only: a made-up id must not take memory per id.
                CountFailure(address, null);
                return SignInResult.Refused(SignInRefusal.WrongCredentials, "unknown device or a device without a secret");
            case SecretRecall.Refused:
                CountFailure(address, deviceId);
                return SignInResult.Refused(SignInRefusal.WrongCredentials, "wrong secret");
        }

        var now = _clock.GetUtcNow();
        if (_byAddress.Count + _byDevice.Count > SweepAbove) Sweep(now);
        var byAddress = _byAddress.GetOrAdd(address, _ => new Failures { WindowStart = now });
        var byDevice = _byDevice.GetOrAdd(deviceId, _ => new Failures { WindowStart = now });
        if (!TryReserve(byAddress, _settings.FailuresPerAddress, now))
            return Limited($"{_settings.FailuresPerAddress} failed sign-ins from this address within {_settings.Window}; refused unchecked until the window ends", address);
        if (!TryReserve(byDevice, _settings.FailuresPerDevice, now))
        {
            Release(byAddress, failed: false);
            return Limited($"{_settings.FailuresPerDevice} failed sign-ins as this device within {_settings.Window}; refused unchecked until the window ends", address);
        }

        var failed = true;
        try
        {
            if (Interlocked.Increment(ref _queued) > _settings.MaxQueuedChecks)
            {
                failed = false;
                return SignInResult.Refused(SignInRefusal.Busy, $"more than {_settings.MaxQueuedChecks} sign-ins waiting for a secret check; try again later");
            }
            await _checks.WaitAsync(cancellationToken);
            DeviceRecord? device;
            bool hashed;
            try { device = _registry.Authenticate(deviceId, secret, out hashed); }
            finally { _checks.Release(); }
            if (hashed) _stats.SecretChecked();
            failed = device is null;
            return device is null
                ? SignInResult.Refused(SignInRefusal.WrongCredentials, "wrong secret")
                : new SignInResult(device, SignInRefusal.None, null);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
            Release(byAddress, failed);
            Release(byDevice, failed);
        }
    }

    private SignInResult Limited(string detail, string address)
    {
        _logger.LogDebug("Device sign-in from {Address} refused unchecked: {Detail}", address, detail);
        return SignInResult.Refused(SignInRefusal.Limited, detail);
    }

    private bool TryReserve(Failures failures, int limit, DateTimeOffset now)
    {
        lock (failures)
        {
            if (now - failures.WindowStart >= _settings.Window && failures.Checking == 0)
            {
                failures.Count = 0;
                failures.WindowStart = now;
            }
            if (failures.Count + failures.Checking >= limit) return false;
            failures.Checking++;
            return true;
        }
    }

    private static void Release(Failures failures, bool failed)
    {
        lock (failures)
        {
            failures.Checking--;
            if (failed) failures.Count++;
        }
    }

    private void CountFailure(string address, string? deviceId)
    {
        var now = _clock.GetUtcNow();
        if (_byAddress.Count + _byDevice.Count > SweepAbove) Sweep(now);
        Count(_byAddress.GetOrAdd(address, _ => new Failures { WindowStart = now }), now);
        if (deviceId is not null) Count(_byDevice.GetOrAdd(deviceId, _ => new Failures { WindowStart = now }), now);
    }

    private void Count(Failures failures, DateTimeOffset now)
    {
        lock (failures)
        {
            if (now - failures.WindowStart >= _settings.Window && failures.Checking == 0)
            {
                failures.Count = 0;
                failures.WindowStart = now;
            }
            failures.Count++;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var table in new[] { _byAddress, _byDevice })
        {
            foreach (var (key, failures) in table)
            {
                bool expired;
                lock (failures) expired = failures.Checking == 0 && now - failures.WindowStart >= _settings.Window;
                if (expired) table.TryRemove(key, out _);
            }
        }
    }
}

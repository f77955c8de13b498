using System.Collections.Concurrent;
using System.Net;
using CommandCenter.DeviceGateway;
using CommandCenter.Web.RateLimiting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Accounts;

/// <summary>
/// Failed sign-ins counted per (client address, user name) instead of Identity's per-account lockout, which let
/// anyone keep <c>operator</c> locked out by guessing. After <see cref="RateLimitOptions.SignInFailuresAllowed"/>
/// failures that pair must wait, twice as long after each further failure, up to <see cref="RateLimitOptions.SignInBlockMax"/>;
/// the same user from another address is not affected. Kept in memory: one node's view, forgotten on restart,
/// which is enough to make guessing slow without ever locking the real user out.
/// </summary>
public sealed class SignInThrottle(IOptions<RateLimitOptions> options, TimeProvider time, ILogger<SignInThrottle> logger)
{
    /// <summary>Pairs tracked before expired ones are swept; a bound on memory when many addresses guess.</summary>
    private const int SweepAbove = 10_000;

    private sealed class Failures
    {
        public int Count;
        public DateTimeOffset Last;
        public DateTimeOffset BlockedUntil;
    }

    private readonly ConcurrentDictionary<(string Client, string User), Failures> _failures = new();

    /// <summary>Whether this client must wait before trying this user name again; a blocked attempt is not checked at all.</summary>
    public bool IsBlocked(IPAddress? client, string userName)
    {
        if (!_failures.TryGetValue(Key(client, userName), out var failures)) return false;
        lock (failures) return failures.BlockedUntil > time.GetUtcNow();
    }

    public void Failed(IPAddress? client, string userName)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (_failures.Count > SweepAbove) Sweep(now, settings.SignInBlockMax);
        var failures = _failures.GetOrAdd(Key(client, userName), _ => new Failures());
        lock (failures)
        {
            if (now - failures.Last > settings.SignInBlockMax) failures.Count = 0;
            failures.Count++;
            failures.Last = now;
            var over = failures.Count - settings.SignInFailuresAllowed;
            if (over < 0) return;
            // 30 s, 60 s, 120 s … capped; the shift is bounded so it cannot overflow.
            var wait = TimeSpan.FromTicks(Math.Min(settings.SignInBlockMax.Ticks, settings.SignInBlockInitial.Ticks << Math.Min(over, 20)));
            failures.BlockedUntil = now + wait;
            if (over == 0)
                logger.LogWarning("Sign-in for {UserName} from {Client} paused for {Wait} after {Count} failures",
                    Sanitise(userName), client, wait, failures.Count);
        }
    }

    public void Succeeded(IPAddress? client, string userName) => _failures.TryRemove(Key(client, userName), out _);

    private void Sweep(DateTimeOffset now, TimeSpan forgetAfter)
    {
        foreach (var (key, failures) in _failures)
        {
            bool expired;
            lock (failures) expired = now - failures.Last > forgetAfter && failures.BlockedUntil <= now;
            if (expired) _failures.TryRemove(key, out _);
        }
    }

    private static (string, string) Key(IPAddress? client, string userName) =>
        (ClientAddress.KeyOf(client), userName.Trim().ToUpperInvariant());

    /// <summary>User names are typed by strangers: keep them to one printable line in the log.</summary>
    public static string Sanitise(string userName)
    {
        var text = new string(userName.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return userName.Length > 64 ? text + "…" : text;
    }
}

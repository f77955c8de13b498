using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using CommandCenter.Grains.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Accounts;

/// <summary>
/// Sign-ins ended by signing out. Every sign-in cookie carries an id of its own (<see cref="ClaimType"/>); signing out
/// keeps that id in the record database (table <c>ended_sign_ins</c>, record migration 11) for as long as the cookie
/// could still be valid (<see cref="AccountOptions.SignInLifetime"/>), and every node refuses a cookie whose sign-in
/// has ended, so a copy taken before signing out opens nothing. The node that ended a sign-in refuses it at once;
/// the other nodes of a cluster within <see cref="CheckAgainAfter"/>, the time they remember a sign-in found valid.
/// </summary>
public sealed class EndedSignIns(IRecordDatabase database, IOptions<AccountOptions> options, TimeProvider clock, ILogger<EndedSignIns> logger)
{
    /// <summary>The claim holding a sign-in's id.</summary>
    public const string ClaimType = "cc:sign-in";

    /// <summary>How long a sign-in found not ended is taken as valid before the database is asked again.</summary>
    public static readonly TimeSpan CheckAgainAfter = TimeSpan.FromSeconds(5);

    // Kept in memory beyond this many entries, the stale ones are swept.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new();   // id → until when its cookie could be valid
    private readonly ConcurrentDictionary<string, DateTimeOffset> _valid = new();   // id → when found not ended

    /// <summary>Gives a sign-in being made its id, unless it has one (a sign-in refreshed keeps it).</summary>
    public static void Name(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == ClaimType))
            identity.AddClaim(new Claim(ClaimType, Guid.NewGuid().ToString("N")));
    }

    /// <summary>Ends the sign-in of <paramref name="principal"/>; completes once stored. A principal without an id changes nothing.</summary>
    public async Task EndAsync(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ClaimType) is not { } id) return;
        var now = clock.GetUtcNow();
        var until = now + options.Value.SignInLifetime;
        await database.WriteAsync(connection =>
        {
            using (var forget = connection.Command("DELETE FROM ended_sign_ins WHERE valid_until < @now").With("@now", now.ToUnixTimeMilliseconds()))
                forget.ExecuteNonQuery();
            using var command = connection.Command("INSERT INTO ended_sign_ins (id, valid_until) VALUES (@id, @until) ON CONFLICT (id) DO NOTHING")
                .With("@id", id).With("@until", until.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        });
        _ended[id] = until;
        _valid.TryRemove(id, out _);
    }

    /// <summary>Whether the sign-in with this id has ended. A database that cannot be asked leaves the sign-in valid (logged).</summary>
    public async Task<bool> IsEndedAsync(string id)
    {
        var now = clock.GetUtcNow();
        if (_ended.ContainsKey(id)) return true;
        if (_valid.TryGetValue(id, out var checkedAt) && now - checkedAt < CheckAgainAfter) return false;
        long? until;
        try
        {
            until = await database.ReadAsync(connection =>
            {
                using var command = connection.Command("SELECT valid_until FROM ended_sign_ins WHERE id = @id").With("@id", id);
                return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : (long?)null;
            });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Whether a sign-in has ended could not be read; it is taken as valid");
            return false;
        }
        Sweep(now);
        if (until is { } ms)
        {
            _ended[id] = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }
        _valid[id] = now;
        return false;
    }

    private void Sweep(DateTimeOffset now)
    {
        if (_valid.Count > SweepAbove)
            foreach (var (id, at) in _valid)
                if (now - at >= CheckAgainAfter) _valid.TryRemove(id, out _);
        if (_ended.Count > SweepAbove)
            foreach (var (id, until) in _ended)
                if (until < now) _ended.TryRemove(id, out _);
    }

    /// <summary>
    /// The cookie's checks: each sign-in is given its id, a sign-in whose cookie Identity refreshes (security stamp)
    /// keeps it, and a cookie whose sign-in has ended is refused and removed.
    /// </summary>
    public static void Hook(CookieAuthenticationOptions cookie)
    {
        var signingIn = cookie.Events.OnSigningIn;
        cookie.Events.OnSigningIn = async context =>
        {
            Name(context.Principal);
            await signingIn(context);
        };
        var validate = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            await validate(context);
            if (context.Principal is null) return;
            var ended = context.HttpContext.RequestServices.GetRequiredService<EndedSignIns>();
            // A cookie without an id was made before sign-ins had one: it cannot be ended, so it is refused once.
            if (context.Principal.FindFirstValue(ClaimType) is not { } id || await ended.IsEndedAsync(id))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            }
        };
    }

    /// <summary>A principal Identity makes again (security stamp validated) keeps the sign-in's id.</summary>
    public static void KeepId(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(ClaimType) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && !identity.HasClaim(c => c.Type == ClaimType))
            identity.AddClaim(new Claim(ClaimType, claim.Value));
    }
}

using System.Security.Claims;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using CommandCenter.Web.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CommandCenter.Web.Phone;

/// <summary>An inspector's account and the handheld they carry, as the admin linked them.</summary>
public sealed record InspectorLink(string UserName, string? Handheld);

/// <summary>
/// Which handheld an inspector carries. The link is a claim of the account, so it is stored with the accounts and
/// lives and dies with them. It is read from the database on every request, not from the sign-in cookie, so a new
/// link takes effect on the phone without signing in again.
/// </summary>
public sealed class InspectorHandhelds(UserManager<IdentityUser> users, DeviceRegistry registry)
{
    public const string ClaimType = "commandcenter:handheld";

    /// <summary>The handheld of the signed-in user, or null when the admin has linked none.</summary>
    public async Task<string?> Of(ClaimsPrincipal principal) =>
        await users.GetUserAsync(principal) is { } user ? await HandheldOf(user) : null;

    public async Task<IReadOnlyList<InspectorLink>> Inspectors()
    {
        var links = new List<InspectorLink>();
        foreach (var user in (await users.GetUsersInRoleAsync(Roles.Inspector)).OrderBy(u => u.UserName, StringComparer.Ordinal))
            links.Add(new InspectorLink(user.UserName!, await HandheldOf(user)));
        return links;
    }

    /// <summary>Links the inspector to the handheld (null or empty: unlinks). Returns why it was refused, or null.</summary>
    public async Task<LinkRefusal?> Link(string userName, string? handheld)
    {
        handheld = string.IsNullOrWhiteSpace(handheld) ? null : handheld.Trim();
        if (await users.FindByNameAsync(userName) is not { } user || !await users.IsInRoleAsync(user, Roles.Inspector))
            return new(LinkRefusalKind.NotInspector);
        if (handheld is not null)
        {
            if (!DeviceRegistry.IsValidId(handheld) || registry.Find(handheld) is not { Kind: DeviceKind.Handheld })
                return new(LinkRefusalKind.NotHandheld);
            // One handheld, one inspector: two phones moving one unit would fight over its status.
            var holders = await users.GetUsersForClaimAsync(new Claim(ClaimType, handheld));
            if (holders.FirstOrDefault(u => u.Id != user.Id) is { } other)
                return new(LinkRefusalKind.Taken, other.UserName);
        }
        foreach (var old in (await users.GetClaimsAsync(user)).Where(c => c.Type == ClaimType).ToList())
        {
            var removed = await users.RemoveClaimAsync(user, old);
            if (!removed.Succeeded) return new(LinkRefusalKind.Store, Describe(removed));
        }
        if (handheld is null) return null;
        var added = await users.AddClaimAsync(user, new Claim(ClaimType, handheld));
        return added.Succeeded ? null : new(LinkRefusalKind.Store, Describe(added));
    }

    private async Task<string?> HandheldOf(IdentityUser user) =>
        (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == ClaimType)?.Value;

    private static string Describe(IdentityResult result) => string.Join("; ", result.Errors.Select(e => e.Description));
}

public enum LinkRefusalKind { NotInspector, NotHandheld, Taken, Store }

/// <summary>Why a link was refused, for the admin page to say in the screen's language: the holder of a taken handheld, or the store's own words.</summary>
public sealed record LinkRefusal(LinkRefusalKind Kind, string? Detail = null);

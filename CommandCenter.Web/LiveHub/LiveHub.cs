using System.Runtime.CompilerServices;
using CommandCenter.Web.Accounts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.LiveHub;

/// <summary>
/// <c>/hubs/live</c>: outside screens subscribe to alert and device changes. <see cref="Subscribe"/> is a server-to-client
/// stream, so SignalR delivers its items in order and waits for a slow connection rather than buffering without end;
/// what waits is bounded by the subscription's own queue.
/// </summary>
public sealed class LiveHub(LiveEventLog log, IOptions<LiveHubOptions> options, SignInCheck signIns, IOptions<AccountOptions> accounts,
    TimeProvider clock) : Hub
{
    public const string Path = "/hubs/live";

    /// <param name="filter">Networks, least severity and area; null for everything.</param>
    /// <param name="lastEventId">The id of the last event this client saw before it lost the connection; null on a first start.</param>
    /// <exception cref="HubException">The filter is not valid; the message says why.</exception>
    public IAsyncEnumerable<LiveEvent> Subscribe(LiveFilter? filter, long? lastEventId, CancellationToken cancellationToken)
    {
        var subscription = new LiveSubscription(CheckedFilter.From(filter), Context.User?.Identity?.Name ?? "unknown", options.Value.ClientQueue);
        return Stream(subscription, lastEventId, Context, cancellationToken);
    }

    private async IAsyncEnumerable<LiveEvent> Stream(LiveSubscription subscription, long? lastEventId, HubCallerContext caller,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A connection made with a sign-in cookie holds only while that sign-in does (one made with an API key holds while
        // the key is configured, as every API call does): the sign-in is checked when the stream starts and again before
        // a push once per Accounts:OpenScreenCheckInterval; one signed out, or whose password changed, ends the stream
        // with a message saying so.
        var bySignIn = caller.User?.FindFirst(HubAuthentication.AccessClaim)?.Value == HubAuthentication.SignInAccess;
        if (bySignIn) await CheckSignIn(caller);
        var signInCheckedAt = clock.GetUtcNow();
        var filter = subscription.Filter;
        // Alerts this client was given: their later changes reach it even when they ease below its least severity,
        // so it can take them off its screen.
        var shown = new HashSet<string>();
        try
        {
            foreach (var start in log.Subscribe(subscription, lastEventId))
            {
                foreach (var alert in start.Alerts ?? []) shown.Add(alert.Id);
                if (start.Alert is { } missed) Note(shown, missed);
                yield return start;
            }
            await foreach (var push in subscription.Pushes(cancellationToken))
            {
                if (bySignIn && clock.GetUtcNow() - signInCheckedAt >= accounts.Value.OpenScreenCheckInterval)
                {
                    await CheckSignIn(caller);
                    signInCheckedAt = clock.GetUtcNow();
                }
                foreach (var item in push)
                {
                    if (item.Alert is { } alert)
                    {
                        if (!shown.Contains(alert.Id) && !filter.Matches(alert)) continue;
                        Note(shown, alert);
                        yield return item;
                    }
                    else if (filter.Devices && Only(item, filter) is { } devices) yield return devices;
                }
            }
        }
        finally
        {
            log.Unsubscribe(subscription);
        }
    }

    private async Task CheckSignIn(HubCallerContext caller)
    {
        if (!await signIns.HoldsAsync(caller.User!))
            throw new HubException("The sign-in this connection was made with has ended; sign in again.");
    }

    private static void Note(HashSet<string> shown, Grains.Alerts.Alert alert)
    {
        if (alert.IsActive) shown.Add(alert.Id);
        else shown.Remove(alert.Id);
    }

    /// <summary>The batch cut down to the filter's devices; null when none of them changed.</summary>
    private static LiveEvent? Only(LiveEvent batch, CheckedFilter filter)
    {
        var devices = batch.Devices!.Where(filter.Matches).ToList();
        return devices.Count == 0 && batch.Forgotten is not { Count: > 0 } ? null : batch with { Devices = devices };
    }
}

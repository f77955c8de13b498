using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CommandCenter.VideoRelay.Http;

/// <summary>
/// Proves that a request for a camera comes from another node of the cluster, which has already admitted the viewer.
/// The token is the camera id protected with the data-protection keys every node shares, valid for a minute: it
/// admits nothing but that camera's stream, needs no account of its own, and also serves requests that have no
/// viewer behind them (an alert's evidence snapshot), which forwarding the viewer's cookie could not.
/// A request refused here is counted (<see cref="Refused"/> and a meter) and logged at most once a minute, so a
/// scanner or a node with the wrong keys shows without filling the log.
/// </summary>
internal sealed class RelayHop
{
    public const string Header = "X-Relay-Hop";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);
    private readonly ITimeLimitedDataProtector _protector;
    private readonly ILogger<RelayHop> _logger;
    private readonly Counter<long> _refusedCounter;
    private long _refused;
    private long _lastLoggedTicks = DateTimeOffset.MinValue.UtcTicks;

    public RelayHop(IDataProtectionProvider protection, ILogger<RelayHop> logger, IMeterFactory meters)
    {
        _protector = protection.CreateProtector("CommandCenter.VideoRelay.Hop").ToTimeLimitedDataProtector();
        _logger = logger;
        _refusedCounter = meters.Create("CommandCenter.VideoRelay")
            .CreateCounter<long>("commandcenter.video.relay_hop.refused", description: "Node-route requests with a missing or forged X-Relay-Hop token");
    }

    /// <summary>Node-route requests refused since start: no token, or one this node cannot open for that camera.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public string TokenFor(string cameraId) => _protector.Protect(cameraId, Lifetime);

    public bool Admits(HttpContext http, string? cameraId)
    {
        if (cameraId is null || http.Request.Headers[Header].ToString() is not { Length: > 0 } token) return Refuse(http, "missing");
        try
        {
            return _protector.Unprotect(token, out _) == cameraId || Refuse(http, "for another camera");
        }
        catch (CryptographicException)
        {
            // Forged, expired, or protected with keys this node does not share.
            return Refuse(http, "forged or expired");
        }
    }

    private bool Refuse(HttpContext http, string why)
    {
        var count = Interlocked.Increment(ref _refused);
        _refusedCounter.Add(1);
        var now = DateTimeOffset.UtcNow.UtcTicks;
        var last = Interlocked.Read(ref _lastLoggedTicks);
        if (now - last >= LogInterval.Ticks && Interlocked.CompareExchange(ref _lastLoggedTicks, now, last) == last)
            _logger.LogWarning("Refused a node-route request from {Remote}: {Header} token {Why} ({Count} refused so far)",
                http.Connection.RemoteIpAddress, Header, why, count);
        return false;
    }
}

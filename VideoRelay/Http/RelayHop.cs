using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace CommandCenter.VideoRelay.Http;

/// <summary>
/// Proves that a request for a camera comes from another node of the cluster, which has already admitted the viewer.
/// The token is the camera id protected with the data-protection keys every node shares, valid for a minute: it
/// admits nothing but that camera's stream, needs no account of its own, and also serves requests that have no
/// viewer behind them (an alert's evidence snapshot), which forwarding the viewer's cookie could not.
/// </summary>
internal sealed class RelayHop(IDataProtectionProvider protection)
{
    public const string Header = "X-Relay-Hop";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("CommandCenter.VideoRelay.Hop").ToTimeLimitedDataProtector();

    public string TokenFor(string cameraId) => _protector.Protect(cameraId, Lifetime);

    public bool Admits(HttpContext http, string? cameraId)
    {
        if (cameraId is null || http.Request.Headers[Header].ToString() is not { Length: > 0 } token) return false;
        try
        {
            return _protector.Unprotect(token, out _) == cameraId;
        }
        catch (CryptographicException)
        {
            // Forged, expired, or protected with keys this node does not share.
            return false;
        }
    }
}

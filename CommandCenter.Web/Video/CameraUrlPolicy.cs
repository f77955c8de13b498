using System.Net;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Video;

/// <summary>
/// Which stream URLs a camera may have. Without this, anyone allowed to register a camera could make the relay
/// connect to any host and port and read the answer from the camera's status: a port scanner inside the city's
/// network. So the host must be an IP address inside <see cref="CameraOptions.AllowedNetworks"/>. Host names are
/// refused rather than resolved: a name checked now can point elsewhere when ffmpeg connects later.
/// </summary>
public sealed class CameraUrlPolicy(IOptionsMonitor<CameraOptions> options)
{
    /// <summary>Networks used when <see cref="CameraOptions.AllowedNetworks"/> is empty: this machine only.</summary>
    public static readonly IReadOnlyList<string> LoopbackOnly = ["127.0.0.0/8", "::1/128"];

    /// <summary>Null when the URL is acceptable, otherwise why not, in words for the caller.</summary>
    public string? Check(string? streamUrl) => Check(streamUrl, options.CurrentValue.AllowedNetworks);

    /// <summary>Whether a stored URL is still acceptable, e.g. after the allowed networks were narrowed.</summary>
    public bool Allows(Uri url) => Check(url.OriginalString) is null;

    public static string? Check(string? streamUrl, IReadOnlyList<string> allowedNetworks)
    {
        if (!Uri.TryCreate(streamUrl, UriKind.Absolute, out var url) || url.Scheme != "rtsp")
            return "streamUrl must be an rtsp:// URL.";
        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !IPAddress.TryParse(url.IdnHost, out var address))
            return $"The camera host must be an IP address, not a name; allowed networks are set by {CameraOptions.Section}:{nameof(CameraOptions.AllowedNetworks)}.";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var networks = allowedNetworks.Count > 0 ? allowedNetworks : LoopbackOnly;
        foreach (var network in networks)
            if (IPNetwork.TryParse(network, out var allowed) && allowed.Contains(address)) return null;
        return $"The camera host {address} is not in an allowed network; add its network to {CameraOptions.Section}:{nameof(CameraOptions.AllowedNetworks)}.";
    }

    /// <summary>The entries of <paramref name="networks"/> that are not CIDR networks (e.g. <c>10.0.0.0/8</c>).</summary>
    public static IEnumerable<string> Invalid(IEnumerable<string> networks) => networks.Where(n => !IPNetwork.TryParse(n, out _));
}

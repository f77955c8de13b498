using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Security;

/// <summary>
/// Security headers on every response. The Content-Security-Policy is the second wall against injected script:
/// device text and camera names are rendered as text, and should markup slip through anyway, the browser refuses
/// to run any script that is not one of our own files.
/// </summary>
public static class ContentSecurityPolicy
{
    public static IApplicationBuilder UseContentSecurityPolicy(this IApplicationBuilder app)
    {
        var policy = Build(app.ApplicationServices.GetRequiredService<IOptions<MapOptions>>().Value.TileUrl);
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
    }

    public static string Build(string tileUrl)
    {
        var tiles = TileOrigin(tileUrl) is { } origin ? $" {origin}" : "";
        return string.Join("; ",
            // Scripts only from our own files: no inline script, no eval. Blazor Server needs neither.
            "default-src 'self'",
            "script-src 'self'",
            // Styles keep 'unsafe-inline': Leaflet positions markers and Blazor shows its reconnect dialog through
            // style attributes. A style cannot run script.
            "style-src 'self' 'unsafe-inline'",
            $"img-src 'self' data: blob:{tiles}",
            // hls.js feeds the <video> through MediaSource blob URLs and may run its demuxer in a blob worker.
            "media-src 'self' blob:",
            "worker-src 'self' blob:",
            // Blazor's WebSocket and hls.js' requests go to this host only; 'self' covers ws: and wss: to it.
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary>
    /// The scheme and host of a Leaflet tile URL template such as "https://{s}.tile.example/{z}/{x}/{y}.png";
    /// a "{s}" subdomain placeholder becomes a wildcard. Null when no tile server is configured.
    /// </summary>
    public static string? TileOrigin(string tileUrl)
    {
        if (string.IsNullOrWhiteSpace(tileUrl)) return null;
        var schemeEnd = tileUrl.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return null;
        var hostEnd = tileUrl.IndexOf('/', schemeEnd + 3);
        var origin = hostEnd < 0 ? tileUrl : tileUrl[..hostEnd];
        origin = origin.Replace("{s}", "*");
        // Anything still templated or odd would make the whole header invalid; leave tiles to 'self' then.
        return origin.IndexOfAny(['{', '}', ' ', ';', ',', '\'']) >= 0 ? null : origin;
    }
}

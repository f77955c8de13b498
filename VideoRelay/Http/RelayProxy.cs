using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Http;

/// <summary>Asks the node that relays a camera for one of its files (playlist, segment, snapshot).</summary>
internal sealed class RelayProxy : IDisposable
{
    private readonly HttpClient _client;
    private readonly RelayHop _hop;
    private readonly VideoRelayOptions _options;
    private readonly ILogger<RelayProxy> _logger;

    public RelayProxy(RelayHop hop, IOptions<VideoRelayOptions> options, ILogger<RelayProxy> logger)
    {
        (_hop, _options, _logger) = (hop, options.Value, logger);
        _client = new HttpClient(new SocketsHttpHandler
        {
            // A node that is gone is noticed here; on one machine its port refuses at once, across machines this bounds it.
            ConnectTimeout = _options.ProxyConnectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The owner's answer, its body not yet read (the caller disposes it); null when the owner could not be reached
    /// or gave no headers within <paramref name="ownerWait"/> (how long the owner itself may wait) plus
    /// <see cref="VideoRelayOptions.ProxyConnectTimeout"/>.
    /// </summary>
    public async Task<HttpResponseMessage?> SendAsync(Uri owner, string cameraId, string file, TimeSpan ownerWait, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(owner, $"{NodePath.TrimStart('/')}/{cameraId}/{file}"));
        request.Headers.Add(RelayHop.Header, _hop.TokenFor(cameraId));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ownerWait + _options.ProxyConnectTimeout);
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            _logger.LogWarning("Relay of camera {CameraId} at {Owner} unreachable: {Error}", cameraId, owner, e.Message);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _logger.LogWarning("Relay of camera {CameraId} at {Owner} gave no answer in time", cameraId, owner);
            return null;
        }
    }

    /// <summary>Where a node serves the cameras it relays to the other nodes (whatever prefix the viewers' routes have).</summary>
    public const string NodePath = "/video/node";

    public void Dispose() => _client.Dispose();
}

/// <summary>The owner's answer passed on to the viewer as it arrives: status, the headers a player cares about, the body.</summary>
internal sealed class ProxiedResult(HttpResponseMessage upstream) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        using (upstream)
        {
            http.Response.StatusCode = (int)upstream.StatusCode;
            var content = upstream.Content.Headers;
            if (content.ContentType is { } type) http.Response.ContentType = type.ToString();
            if (content.ContentLength is { } length) http.Response.ContentLength = length;
            if (upstream.Headers.CacheControl is { } cache) http.Response.Headers.CacheControl = cache.ToString();
            if (upstream.Headers.RetryAfter is { } retry) http.Response.Headers.RetryAfter = retry.ToString();
            if (upstream.StatusCode == HttpStatusCode.NotModified) return;
            await using var body = await upstream.Content.ReadAsStreamAsync(http.RequestAborted);
            await body.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }
}

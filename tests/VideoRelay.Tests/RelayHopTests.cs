using System.Net;
using Microsoft.Extensions.DependencyInjection;
using CommandCenter.VideoRelay.Http;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

/// <summary>The route other nodes of a cluster use: no sign-in, so only a hop token protected with the shared keys opens it.</summary>
public sealed class RelayHopTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    [Fact]
    public async Task The_node_route_serves_a_camera_only_to_a_hop_token_for_that_camera()
    {
        var camera = cameras.Camera(1);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1));
        var hop = host.Services.GetRequiredService<RelayHop>();
        var playlist = $"{RelayProxy.NodePath}/{camera.Id}/index.m3u8";

        Task<HttpResponseMessage> Get(string path, string? token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null) request.Headers.Add(RelayHop.Header, token);
            return host.Http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Get(playlist, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(playlist, "forged-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(playlist, hop.TokenFor("cam-other"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Get($"{RelayProxy.NodePath}/{camera.Id}/snapshot.jpg", null)).StatusCode);
        Assert.Empty(host.Relay.GetStatus());

        // A starting stream answers 503 until its first segment, as on the viewers' route.
        var served = await Eventually.GetAsync(async () =>
        {
            var answer = await Get(playlist, hop.TokenFor(camera.Id));
            return answer.StatusCode == HttpStatusCode.ServiceUnavailable ? null : answer;
        }, TimeSpan.FromSeconds(40), "the playlist through the node route");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var text = await served.Content.ReadAsStringAsync();
        Assert.Contains("#EXTM3U", text);
        var segment = Playlist.NewestSegment(text);
        Assert.Equal(HttpStatusCode.NotFound, (await Get($"{RelayProxy.NodePath}/{camera.Id}/{segment}", null)).StatusCode);
        var piece = await Get($"{RelayProxy.NodePath}/{camera.Id}/{segment}", hop.TokenFor(camera.Id));
        Assert.Equal(HttpStatusCode.OK, piece.StatusCode);
        Assert.Equal("video/mp2t", piece.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_missing_or_forged_hop_token_is_counted()
    {
        var camera = cameras.Camera(1);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1));
        var hop = host.Services.GetRequiredService<RelayHop>();
        var playlist = $"{RelayProxy.NodePath}/{camera.Id}/index.m3u8";

        async Task Refused(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, playlist);
            if (token is not null) request.Headers.Add(RelayHop.Header, token);
            using var answer = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }

        Assert.Equal(0, hop.Refused);
        await Refused(null);
        await Refused("forged-token");
        await Refused(hop.TokenFor("cam-other"));
        Assert.Equal(3, hop.Refused);
        Assert.Empty(host.Relay.GetStatus());
    }
}

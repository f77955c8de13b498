using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CommandCenter.Grains.Tests;
using CommandCenter.Simulators.Cameras;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Two nodes over a real redis-server and PostgreSQL: a phone photo sent to node A and an alert's snapshot taken by
/// whichever node runs the alert are served by the other node with the same bytes, because the pictures are kept in
/// the shared record database, not in the data directory of the node that took them.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class ClusterPictureTests(ClusterPictureTests.TwoNodesAndACamera cluster) : IClassFixture<ClusterPictureTests.TwoNodesAndACamera>
{
    public const string Camera = "cam-0001";
    private const string InspectorPassword = "Inspector#2026";

    public sealed class TwoNodesAndACamera : IAsyncLifetime
    {
        public RedisServer Redis { get; } = new();
        public PostgresServer Postgres { get; } = new();
        public ClusterNodes Nodes { get; private set; } = null!;
        public Browser Chromium { get; private set; } = null!;
        public SimulatedCameraServer Cameras { get; } = new(new SimulatedCameraOptions
        {
            Port = 0, CameraCount = 1, UserName = "pictures", Password = "Pictures-Pa55", EncoderLinger = TimeSpan.FromSeconds(1),
        }, NullLoggerFactory.Instance);

        public async Task InitializeAsync()
        {
            Cameras.Start();
            await Task.WhenAll(Redis.Start(), Postgres.InitializeAsync());
            Nodes = new ClusterNodes(2, Redis, await Postgres.CreateDatabase(), new Dictionary<string, string>
            {
                ["VideoRelay__ReadTimeout"] = "00:00:02",
                ["VideoRelay__StallTimeout"] = "00:00:04",
                ["VideoRelay__RestartBackoffInitial"] = "00:00:00.500",
                ["VideoRelay__RestartBackoffMax"] = "00:00:02",
            });
            await Nodes.Start();
            Chromium = await Browser.Launch();
        }

        public async Task DisposeAsync()
        {
            await Chromium.DisposeAsync();
            await Nodes.DisposeAsync();
            await Cameras.DisposeAsync();
            await Redis.DisposeAsync();
            await Postgres.DisposeAsync();
        }
    }

    private CommandCenterProcess A => cluster.Nodes[0];
    private CommandCenterProcess B => cluster.Nodes[1];

    [Fact]
    public async Task A_phone_photo_sent_to_node_A_is_served_by_node_B_with_the_same_bytes_and_its_hash_as_entity_tag()
    {
        await A.Register("handheld", "cp-hh-0001");
        await LinkOnAdminPage(A, "inspector", "cp-hh-0001");
        var phone = await SignInOnPhone(A, "inspector");
        var photo = Jpeg(300_000, seed: 1);
        var reported = await PostReport(phone, new()
        {
            ["id"] = "cluster-photo-0001", ["text"] = "Broken bench in the park", ["lat"] = "36.5470", ["lon"] = "104.1410",
        }, photo);
        Assert.Equal(200, reported.Status);
        var url = (await reported.JsonAsync())!.Value.GetProperty("photo").GetString()!;
        Assert.Equal("/photos/cluster-photo-0001", url);
        // Node A's data directory holds no copy: the bytes are only in the shared database.
        Assert.False(Directory.Exists(Path.Combine(A.DataDirectory, "photos")));

        using var viewer = await Viewer(B);
        using var served = await viewer.Get(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(photo, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        Assert.True(served.Headers.CacheControl!.Private);
        Assert.Equal($"\"{Sha256(photo)}\"", served.Headers.ETag!.Tag);

        // A browser that holds the photo already is told so without the bytes.
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(served.Headers.ETag);
        using var notModified = await viewer.Send(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // Still for signed-in users only, on every node.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = B.BaseAddress };
        using var refused = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/login", refused.Headers.Location!.OriginalString);
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task An_alerts_snapshot_is_served_by_both_nodes_whichever_took_it()
    {
        var registered = await A.Api.PutAsJsonAsync($"/api/cameras/{Camera}", new
        {
            id = Camera, streamUrl = cluster.Cameras.UrlFor(Camera).ToString(), lat = 36.5441, lon = 104.1380, heading = 0, fieldOfView = 60, range = 300,
            name = "Park camera",
        });
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        // 100 m north of the camera, in its view.
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++)
            await A.Publish("cc/sensor/cp-s1/telemetry",
                $$"""{"ts":"{{now.AddSeconds(i):O}}","values":{"a21004":{{450 + i}}},"lat":36.5450,"lon":104.1380}""");
        var alert = (await Waiting.Until(() => A.Api.AlertOf("cp-s1", "exceed-a21004"), a => a is not null, TimeSpan.FromSeconds(20), "the alert"))!.Value;
        Assert.Equal([Camera], alert.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()));
        var url = $"/evidence/{alert.GetProperty("id").GetString()}/{Camera}.jpg";

        // The alert's grain runs on one node and that node takes the picture; each node serves it.
        using var atA = await Viewer(A);
        using var atB = await Viewer(B);
        var fromB = await Waiting.Until(() => Fetch(atB, url), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "node B serving the snapshot");
        var fromA = await Fetch(atA, url);
        Assert.Equal(HttpStatusCode.OK, fromA.Status);
        Assert.Equal(fromB.Bytes, fromA.Bytes);
        Assert.Equal([0xFF, 0xD8], fromB.Bytes[..2]);
        Assert.Equal($"\"{Sha256(fromB.Bytes)}\"", fromB.ETag);
        Assert.Equal(fromB.ETag, fromA.ETag);
        Assert.Equal("image/jpeg", fromA.ContentType);
        Assert.False(Directory.Exists(Path.Combine(A.DataDirectory, "evidence")) || Directory.Exists(Path.Combine(B.DataDirectory, "evidence")));
    }

    private static async Task<(HttpStatusCode Status, byte[] Bytes, string? ETag, string? ContentType)> Fetch(FormClient viewer, string url)
    {
        using var answer = await viewer.Get(url);
        return (answer.StatusCode, await answer.Content.ReadAsByteArrayAsync(), answer.Headers.ETag?.Tag, answer.Content.Headers.ContentType?.MediaType);
    }

    private static byte[] Jpeg(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<FormClient> Viewer(CommandCenterProcess node)
    {
        var viewer = new FormClient(node.BaseAddress);
        Assert.True(FormClient.SignedIn(await viewer.SignIn("operator", "Operator#2026")));
        return viewer;
    }

    private async Task LinkOnAdminPage(CommandCenterProcess node, string user, string handheld)
    {
        var admin = await cluster.Chromium.SignIn(node.BaseAddress, "admin", "Admin#2026");
        await admin.GotoAsync("/admin/inspectors");
        await Expect(admin.Locator(".admin-inspectors")).ToHaveAttributeAsync("data-interactive", "yes");
        var row = admin.Locator($"tr[data-user='{user}']");
        await row.Locator("select.handheld").SelectOptionAsync(handheld);
        await row.Locator("button.link-handheld").ClickAsync();
        await Expect(admin.Locator("#link-message")).ToContainTextAsync($"{user} → {handheld}");
        await admin.CloseAsync();
    }

    private async Task<IPage> SignInOnPhone(CommandCenterProcess node, string user)
    {
        var phone = await cluster.Chromium.NewPhonePage(node.BaseAddress);
        await phone.GotoAsync("/login");
        await phone.FillAsync("#username", user);
        await phone.FillAsync("#password", InspectorPassword);
        await phone.ClickAsync("#sign-in");
        await Expect(phone).ToHaveURLAsync(new Regex("/m$"));
        await Expect(phone.Locator("#phone")).ToHaveAttributeAsync("data-ready", "yes");
        return phone;
    }

    /// <summary>Posts a problem report as the phone page's script does: a form with the page's antiforgery token in the header.</summary>
    private static async Task<IAPIResponse> PostReport(IPage phone, Dictionary<string, string> fields, byte[] photo)
    {
        var form = phone.Context.APIRequest.CreateFormData();
        foreach (var (key, value) in fields) form.Set(key, value);
        form.Set("photo", new FilePayload { Name = "bench.jpg", MimeType = "image/jpeg", Buffer = photo });
        var token = await phone.Locator("meta[name=antiforgery]").GetAttributeAsync("content");
        return await phone.APIRequest.PostAsync("/m/api/reports", new()
        {
            Multipart = form, Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token! },
        });
    }
}

using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>The device registry page in Debian's chromium: who may see it, and rotating a secret.</summary>
[Collection(SharedHost.Name)]
public sealed class DeviceAdminPageTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task An_admin_sees_last_contact_and_rotates_a_secret_that_is_shown_once_and_replaces_the_old_one()
    {
        await Host.Publish("cc/handheld/ui-rotate/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.545,"lon":104.138,"battery":0.5}""");
        var page = await _browser.SignIn(Host.BaseAddress, "admin", "Admin#2026");
        await page.GotoAsync("/admin/devices");
        await Expect(page.Locator(".admin-devices[data-interactive='yes']")).ToBeVisibleAsync();
        var row = page.Locator("#registry-table tr[data-device='ui-rotate']");
        await Expect(row.Locator(".last-contact")).ToContainTextAsync("online");

        await row.Locator("button.rotate").ClickAsync();
        var shown = page.Locator("#new-secret");
        await Expect(shown).ToBeVisibleAsync();
        var secret = await shown.InnerTextAsync();
        Assert.True(secret.Length >= 16, secret);

        // The old secret is refused from now on; the new one works.
        var old = await Assert.ThrowsAsync<InvalidOperationException>(() => Host.MosquittoPub(["-u", "ui-rotate", "-P", CommandCenterProcess.SecretOf("ui-rotate"),
            "-t", "cc/handheld/ui-rotate/status", "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","online":true}"""]));
        Assert.Contains("bad user name or password", old.Message);
        await Host.MosquittoPub(["-u", "ui-rotate", "-P", secret, "-q", "1", "-t", "cc/handheld/ui-rotate/status", "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","online":true}"""]);

        // Shown once: a fresh visit does not show it again.
        await page.ReloadAsync();
        await Expect(page.Locator("#registry-table tr[data-device='ui-rotate']")).ToBeVisibleAsync();
        await Expect(page.Locator("#new-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
    }

    [Fact]
    public async Task An_operator_cannot_open_the_device_registry()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await page.GotoAsync("/admin/devices");
        await Expect(page.Locator("#registry-table")).ToHaveCountAsync(0);
    }
}

/// <summary>The lab switch, on a host of its own.</summary>
public sealed class AnonymousLabTests
{
    [Fact]
    public async Task With_AllowAnonymous_on_anyone_may_publish_and_a_warning_is_logged_at_start_up()
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string> { ["Mqtt__AllowAnonymous"] = "true" });
        await host.Start();
        await Waiting.Until(() => Task.FromResult(host.Log), log => log.Contains("Mqtt:AllowAnonymous is on"), TimeSpan.FromSeconds(10), "warned");
        await host.MosquittoPub(["-q", "1", "-t", "cc/handheld/lab-hh/telemetry", "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.545,"lon":104.138,"battery":0.5}"""]);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Api.GetAsync("/api/devices/handheld/lab-hh")).StatusCode);
    }
}

/// <summary>MQTT over TLS, with a certificate made by Debian's openssl and mosquitto_pub checking it.</summary>
public sealed class TlsListenerTests
{
    [Fact]
    public async Task A_device_publishes_over_tls_with_its_credentials_and_plain_mqtt_is_not_spoken_there()
    {
        var certificates = Directory.CreateTempSubdirectory("mqtt-tls-").FullName;
        var (cert, key) = (Path.Combine(certificates, "broker.pem"), Path.Combine(certificates, "broker.key"));
        using (var openssl = System.Diagnostics.Process.Start("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                   "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]))
            await openssl.WaitForExitAsync();
        var tlsPort = CommandCenterProcess.FreePort();
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["Mqtt__TlsPort"] = tlsPort.ToString(), ["Mqtt__TlsCertificate"] = cert, ["Mqtt__TlsKey"] = key,
        });
        await host.Start();
        await host.Register("sensor", "tls-s1");
        var reading = $$$"""{"ts":"{{{DateTimeOffset.Now:O}}}","values":{"a34004":21}}""";

        // mosquitto_pub is pointed at the TLS port through its own -p, given after the host's.
        await host.MosquittoPub(["-p", tlsPort.ToString(), "--cafile", cert, "-u", "tls-s1", "-P", CommandCenterProcess.SecretOf("tls-s1"),
            "-q", "1", "-t", "cc/sensor/tls-s1/telemetry", "-m", reading]);
        var sensor = await host.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/devices/sensor/tls-s1");
        Assert.Equal(21, sensor.GetProperty("readings").GetProperty("a34004").GetDouble());

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.MosquittoPub(["-p", tlsPort.ToString(), "-u", "tls-s1",
            "-P", CommandCenterProcess.SecretOf("tls-s1"), "-q", "1", "-t", "cc/sensor/tls-s1/telemetry", "-m", reading]));
    }
}

using System.Net;
using CommandCenter.DeviceGateway;
using CommandCenter.Web.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Accounts;

/// <summary>Thrown when start-up is refused; the reason has already been logged.</summary>
public sealed class StartRefusedException(string message) : Exception(message);

/// <summary>
/// Refuses to start when the command center would be reachable from the network (HTTP, the embedded MQTT
/// broker or the HJ 212 listener bound beyond loopback) while anyone could sign in or call the API with the secrets it ships with.
/// On loopback the defaults stay convenient for a demo; changing them is what opens the network.
/// </summary>
public static class ExposureGuard
{
    public static async Task RefuseShippedSecretsBeyondLoopback(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExposureGuard).FullName!);
        var exposed = ExposedListeners(app.Configuration, app.Services.GetRequiredService<IOptions<MqttOptions>>().Value,
            app.Services.GetRequiredService<IOptions<CommandCenter.DeviceGateway.Hj212.Hj212Options>>().Value);
        if (exposed.Count == 0) return;

        var shipped = await ShippedSecretsInUse(app.Services);
        if (shipped.Count > 0)
        {
            var message =
                $"Refusing to start: listening beyond loopback ({string.Join(", ", exposed)}) while shipped secrets are in use: {string.Join("; ", shipped)}. " +
                "Change each of them (a password in the dashboard at /account/password while listening on 127.0.0.1, or in Accounts:Seed before the account is first created; " +
                "a key in Api:Keys:{name}), or listen on loopback only (Urls, Mqtt:BindAddress, Hj212:BindAddress).";
            logger.LogCritical("{Reason}", message);
            throw new StartRefusedException(message);
        }
        if (string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<AccountOptions>>().Value.KeysCertificate))
            logger.LogWarning("Sign-in cookie keys are stored unencrypted (protected by file permissions only) while listening beyond loopback; set Accounts:KeysCertificate to encrypt them");
    }

    /// <summary>Every listener that would accept connections from beyond this machine, described by its setting.</summary>
    public static List<string> ExposedListeners(IConfiguration configuration, MqttOptions mqtt, CommandCenter.DeviceGateway.Hj212.Hj212Options? hj212 = null)
    {
        var exposed = new List<string>();
        foreach (var url in HttpListeners(configuration))
            if (!IsLoopback(HostOf(url))) exposed.Add($"Urls {url}");
        // Ports without a host (ASPNETCORE_HTTP_PORTS) bind every interface.
        foreach (var key in new[] { "http_ports", "https_ports" })
            if (!string.IsNullOrWhiteSpace(configuration[key]) && string.IsNullOrWhiteSpace(configuration["urls"]))
                exposed.Add($"{key.ToUpperInvariant()} {configuration[key]}");
        if (mqtt.EmbeddedBroker && !IsLoopback(mqtt.BindAddress))
            exposed.Add($"Mqtt:BindAddress {mqtt.BindAddress}");
        // HJ 212 monitors authenticate with the registry's secrets like MQTT devices: the same exposure, the same guard.
        if (hj212 is { Port: > 0 } && !IsLoopback(hj212.BindAddress))
            exposed.Add($"Hj212:BindAddress {hj212.BindAddress}");
        return exposed;
    }

    private static IEnumerable<string> HttpListeners(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return urls.Concat(endpoints);
    }

    /// <summary>The host of a Kestrel listening address such as <c>http://0.0.0.0:5080</c>, <c>http://*:80</c> or <c>http://[::1]:5080</c>.</summary>
    public static string HostOf(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme >= 0 ? url[(scheme + 3)..] : url;
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)) return "unix";
        var slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest[..slash];
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            return close > 0 ? rest[1..close] : rest;
        }
        var colon = rest.LastIndexOf(':');
        return colon >= 0 ? rest[..colon] : rest;
    }

    /// <summary>Loopback addresses, <c>localhost</c> and Unix sockets; every other name (<c>*</c>, <c>+</c>, a host name) is bound to all interfaces by Kestrel.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host == "unix" ||
        (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static async Task<List<string>> ShippedSecretsInUse(IServiceProvider services)
    {
        var found = new List<string>();
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var seeds = scope.ServiceProvider.GetRequiredService<IOptions<AccountOptions>>().Value.Seed;
        // The stored hash decides, not the configuration: a password changed in the dashboard is fine, and a
        // seed password edited after the account was created changes nothing.
        var names = ShippedSecrets.Passwords.Keys.Concat(seeds.Select(s => s.UserName)).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (await users.FindByNameAsync(name) is not { } user) continue;
            var candidates = seeds.Where(s => s.UserName.Equals(name, StringComparison.OrdinalIgnoreCase) && ShippedSecrets.IsShippedPassword(s.Password))
                .Select(s => s.Password).ToHashSet(StringComparer.Ordinal);
            if (ShippedSecrets.Passwords.TryGetValue(name, out var shipped)) candidates.Add(shipped);
            foreach (var password in candidates)
            {
                if (!await users.CheckPasswordAsync(user, password)) continue;
                found.Add($"account '{user.UserName}' has its shipped password (Accounts:Seed)");
                break;
            }
        }
        foreach (var (name, key) in services.GetRequiredService<IOptions<ApiOptions>>().Value.Keys)
            if (ShippedSecrets.ApiKeys.Contains(key)) found.Add($"Api:Keys:{name} is the shipped key");
        return found;
    }
}

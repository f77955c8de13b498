using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.Api;

/// <summary>What <c>GET /api/devices</c> is narrowed to: a kind, a network, online or not; each absent one lets all through.</summary>
public sealed record DeviceListFilter(DeviceKind? Kind, Network? Network, bool? Online)
{
    public bool Matches(DeviceSnapshot device) =>
        (Kind is null || device.Kind == Kind)
        && (Network is null || device.Kind.Network() == Network)
        && (Online is null || device.Online == Online);

    public static bool TryRead(string? kind, string? network, bool? online, out DeviceListFilter? filter, out string? problem)
    {
        filter = null;
        DeviceKind? byKind = null;
        Network? byNetwork = null;
        if (kind is not null)
        {
            if (!DeviceKinds.TryParse(kind, out var parsed))
            {
                problem = $"Unknown kind '{kind}': the kinds are {string.Join(", ", Enum.GetValues<DeviceKind>().Select(k => k.Name()))}.";
                return false;
            }
            byKind = parsed;
        }
        if (network is not null)
        {
            var named = Enum.GetValues<Network>().Where(n => n.Name() == network).ToList();
            if (named.Count == 0)
            {
                problem = $"Unknown network '{network}': the networks are {string.Join(", ", Enum.GetValues<Network>().Select(n => n.Name()))}.";
                return false;
            }
            byNetwork = named[0];
        }
        filter = new DeviceListFilter(byKind, byNetwork, online);
        problem = null;
        return true;
    }
}

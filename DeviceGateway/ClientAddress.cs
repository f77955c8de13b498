using System.Net;
using System.Net.Sockets;

namespace CommandCenter.DeviceGateway;

/// <summary>How limits (web sign-in, API, device sign-in) tell clients apart: by IPv4 address, or by IPv6 /64 network, since one IPv6 host is usually given a whole /64 and could otherwise appear as endless clients.</summary>
public static class ClientAddress
{
    public static string KeyOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

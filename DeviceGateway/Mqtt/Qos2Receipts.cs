using System.Runtime.CompilerServices;
using MQTTnet;
using MQTTnet.Packets;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>What the QoS 2 bookkeeping decided about one received publish.</summary>
public sealed record Qos2Receipt(ushort PacketId, bool Duplicate);

/// <summary>
/// Carries a <see cref="Qos2Receipt"/> from the inbound packet hook to the publish hook. The broker turns the
/// packet into an application message in between and keeps only its fields, user properties among them, so the
/// receipt rides on a user property object of our own: recognised by reference (a client cannot forge it) and
/// taken off before the message goes anywhere.
/// </summary>
public static class Qos2Receipts
{
    private static readonly ConditionalWeakTable<MqttUserProperty, Qos2Receipt> Marks = new();

    public static void Attach(MqttPublishPacket publish, Qos2Receipt receipt)
    {
        var mark = new MqttUserProperty("cc-qos2", ReadOnlyMemory<byte>.Empty);
        Marks.Add(mark, receipt);
        (publish.UserProperties ??= []).Add(mark);
    }

    /// <summary>The receipt of a message, removed from it; null for a message that has none (QoS 0/1, a will).</summary>
    public static Qos2Receipt? Take(MqttApplicationMessage message)
    {
        if (message.UserProperties is not { Count: > 0 } properties) return null;
        for (var i = properties.Count - 1; i >= 0; i--)
        {
            if (!Marks.TryGetValue(properties[i], out var receipt)) continue;
            properties.RemoveAt(i);
            return receipt;
        }
        return null;
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// Gives an MQTT 3.1.1 client that connects with an empty client id and a clean session an id of its own,
/// as the standard allows (3.1.3-6) and mosquitto does, so that <c>mosquitto_pub -u … -P … -t … -m …</c>
/// works as typed. MQTTnet assigns ids only to MQTT 5 clients and refuses the others before any hook runs.
/// With clean session off an empty id must be refused with CONNACK 0x02 (3.1.3-8); MQTTnet's decoder throws on
/// that CONNECT instead and the socket would just close, so the refusal is sent here.
/// </summary>
internal sealed class ClientIdAssigningAdapter(IMqttChannelAdapter inner) : IMqttChannelAdapter
{
    private bool _connectSeen;

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        MqttPacket packet;
        try
        {
            packet = await inner.ReceivePacketAsync(cancellationToken);
        }
        catch (MQTTnet.Exceptions.MqttProtocolViolationException e) when (!_connectSeen && e.Message.Contains("MQTT-3.1.3-7"))
        {
            _connectSeen = true;
            await inner.SendPacketAsync(new MqttConnAckPacket
            {
                ReturnCode = MQTTnet.Protocol.MqttConnectReturnCode.ConnectionRefusedIdentifierRejected,
                ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.ClientIdentifierNotValid,
            }, cancellationToken);
            throw;
        }
        if (!_connectSeen && packet is MqttConnectPacket connect)
        {
            _connectSeen = true;
            // MQTT 5 clients are given theirs by the broker, which tells them in CONNACK (Assigned Client Identifier).
            if (string.IsNullOrEmpty(connect.ClientId) && connect.CleanSession && inner.PacketFormatterAdapter.ProtocolVersion != MqttProtocolVersion.V500)
                connect.ClientId = $"auto-{Guid.NewGuid():N}";
        }
        return packet;
    }

    public long BytesReceived => inner.BytesReceived;
    public long BytesSent => inner.BytesSent;
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;
    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;
    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);
    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);
    public void ResetStatistics() => inner.ResetStatistics();
    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);
    public void Dispose() => inner.Dispose();
}

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// The data reply (CN 9014) the standard asks for when a monitor sets Flag bit 0: system type 91, the monitor's own
/// QN, PW and MN, Flag=4 (protocol version bits = 2017, no reply wanted, not split) and an empty CP.
/// </summary>
public static class Hj212Reply
{
    public const string SystemSt = "91";
    public const string DataReplyCn = "9014";
    public const int ReplyFlag = 4;

    public static string DataSegment(Hj212Packet packet) =>
        $"QN={packet.Qn};ST={SystemSt};CN={DataReplyCn};PW={packet.Pw};MN={packet.Mn};Flag={ReplyFlag};CP=&&&&";

    public static byte[] Frame(Hj212Packet packet) => Hj212Frame.Encode(DataSegment(packet));
}

using System.Text.Json;

namespace Simulators.Devices;

/// <summary>A CCTV camera's heartbeat: it only says that it is online. (The RTSP video itself is a separate simulator.)</summary>
public sealed class CameraStatusDevice(string id) : SimulatedDevice(DeviceKind.Camera, id, DeviceChannel.Status)
{
    public override DevicePublication Report(SimulationMoment moment) =>
        Publish(JsonSerializer.SerializeToUtf8Bytes(new DeviceStatus(moment.DeviceTime, Online: true), DeviceJsonContext.Default.DeviceStatus));
}

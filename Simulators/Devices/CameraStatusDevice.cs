using System.Text.Json;

namespace CommandCenter.Simulators.Devices;

/// <summary>Where a camera stands and looks: compass heading and field of view in degrees, range in metres.</summary>
public readonly record struct CameraSite(GeoPoint Position, double Heading, double FieldOfView, double Range);

/// <summary>A CCTV camera's heartbeat: it says that it is online and where it stands. (Its RTSP video is the camera server's.)</summary>
public sealed class CameraStatusDevice(string id, CameraSite site) : SimulatedDevice(DeviceKind.Camera, id, DeviceChannel.Status)
{
    public CameraSite Site { get; } = site;

    public override DevicePublication Report(SimulationMoment moment) =>
        Publish(JsonSerializer.SerializeToUtf8Bytes(
            new DeviceStatus(moment.DeviceTime, Online: true, Site.Position.Latitude, Site.Position.Longitude), DeviceJsonContext.Default.DeviceStatus));
}

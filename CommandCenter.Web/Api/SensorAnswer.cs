using System.Text.Json;
using System.Text.Json.Nodes;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.Api;

/// <summary>
/// A sensor on <c>GET /api/devices/sensor/{id}</c>: its snapshot with the air-quality index beside it at the top level,
/// where scripts look for it: <c>aqi</c> (integer or null), <c>primaryPollutant</c> (HJ 212 code or null),
/// <c>primaryPollutants</c>, <c>aqiLevel</c> (number, names, colour) and <c>iaqi</c> by code.
/// </summary>
public static class SensorAnswer
{
    public static JsonObject Of(DeviceSnapshot sensor, JsonSerializerOptions options)
    {
        var answer = JsonSerializer.SerializeToNode(sensor, options)!.AsObject();
        var air = sensor.Air;
        answer["aqi"] = air?.Aqi;
        answer["primaryPollutant"] = air?.PrimaryPollutant;
        answer["primaryPollutants"] = JsonSerializer.SerializeToNode(air?.PrimaryPollutants ?? [], options);
        answer["aqiLevel"] = air is null ? null : JsonSerializer.SerializeToNode(air.LevelInfo, options);
        answer["iaqi"] = air is null ? null : JsonSerializer.SerializeToNode(air.Iaqi, options);
        return answer;
    }
}

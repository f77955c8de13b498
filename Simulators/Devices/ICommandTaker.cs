using System.Text.Json;

namespace CommandCenter.Simulators.Devices;

/// <summary>A simulated device that acts on some commands itself; other devices answer every command "ok".</summary>
public interface ICommandTaker
{
    /// <summary>Called on the MQTT client's thread; returns the acknowledgement's result (the same for a repeated cmdId).</summary>
    string Take(string cmdId, string? type, JsonElement args);
}

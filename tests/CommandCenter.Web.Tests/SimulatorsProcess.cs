using System.Diagnostics;
using System.Globalization;

namespace CommandCenter.Web.Tests;

/// <summary>The simulators from their build output, as their own process, configured through the environment.</summary>
public static class SimulatorsProcess
{
    /// <param name="settings">Environment settings, e.g. <c>Simulator__Handhelds</c>; output is read and dropped.</param>
    public static Process Start(IDictionary<string, string> settings)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = testOutput.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var start = new ProcessStartInfo("dotnet", "Simulators.dll")
        {
            WorkingDirectory = Path.Combine(root, "Simulators", "bin", testOutput.Parent.Name, testOutput.Name),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// The load mode against a host's broker: <paramref name="handhelds"/> handhelds sending <paramref name="rate"/>
    /// messages a second in all, for up to half an hour, nothing else simulated.
    /// </summary>
    public static Process StartLoad(CommandCenterProcess host, int handhelds, int rate) => Start(new Dictionary<string, string>
    {
        ["Simulator__Handhelds"] = handhelds.ToString(CultureInfo.InvariantCulture), ["Simulator__Sensors"] = "0", ["Simulator__Cameras"] = "0",
        ["Simulator__DemoExceedance"] = "", ["Simulator__Load__MessagesPerSecond"] = rate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__RunDuration"] = "00:30:00", ["Simulator__CommandCenter__Url"] = "",
        ["Simulator__Mqtt__Port"] = host.MqttPort.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Mqtt__UserName"] = CommandCenterProcess.GatewayUser, ["Simulator__Mqtt__Password"] = CommandCenterProcess.GatewayPassword,
        ["SimulatedCameras__Port"] = CommandCenterProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
    });
}

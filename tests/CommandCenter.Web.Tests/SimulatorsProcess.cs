using System.Diagnostics;

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
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace CommandCenter.Simulators.Cameras;

/// <summary>
/// The lavfi filter graph a camera shows: a test pattern of its own, its name, and the wall clock with
/// milliseconds. Comparing that clock with a clock beside the player measures glass-to-glass latency.
/// </summary>
internal static partial class TestPicture
{
    private static readonly string[] Patterns = ["testsrc2", "smptebars", "testsrc", "smptehdbars", "rgbtestsrc", "pal100bars"];

    public static string FilterGraph(string cameraId, int cameraNumber, SimulatedCameraOptions options)
    {
        var pattern = Patterns[(cameraNumber - 1 + Patterns.Length) % Patterns.Length];
        // Golden-angle steps keep neighbouring cameras visibly different once the patterns repeat.
        var hue = cameraNumber * 137 % 360;
        var label = UnsafeLabelCharacters().Replace(cameraId, "_");
        var font = string.IsNullOrWhiteSpace(options.FontName) ? "" : $"font='{options.FontName}':";
        var nameSize = Math.Max(12, options.Height / 10);
        var clockSize = Math.Max(12, options.Height / 9);
        const string box = "fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=6";
        // Backslashes escape ':' for drawtext's own parser inside the quoted filter argument.
        const string clock = @"%{localtime\:%H\\\:%M\\\:%S.%3N}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{pattern}=size={options.Width}x{options.Height}:rate={options.FramesPerSecond}," +
            $"hue=h={hue}," +
            $"drawtext={font}{box}:fontsize={nameSize}:x=(w-text_w)/2:y=h/2-text_h-8:text='{label}'," +
            $"drawtext={font}{box}:fontsize={clockSize}:x=(w-text_w)/2:y=h/2+8:text='{clock}'");
    }

    [GeneratedRegex("[^A-Za-z0-9 _.-]")]
    private static partial Regex UnsafeLabelCharacters();
}

using System.Text.RegularExpressions;

namespace CommandCenter.VideoRelay.Cameras;

/// <summary>
/// Camera ids the relay accepts: those of the device contract (1–64 of <c>A-Z a-z 0-9 - _ .</c>) that do not
/// start with '.'. They name folders and URL segments, and that rules out ".", ".." and hidden files.
/// </summary>
public static partial class CameraIds
{
    public static bool IsValid(string? cameraId) => cameraId is not null && ValidId().IsMatch(cameraId);

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ValidId();
}

using System.Text;

namespace CommandCenter.Simulators.Cameras;

/// <summary>Turns the SDP ffmpeg writes for its RTP output into the SDP an RTSP DESCRIBE answers with.</summary>
internal static class SessionDescription
{
    public const string TrackControl = "trackID=0";

    public static string ForRtsp(string encoderSdp, string cameraId)
    {
        var session = new StringBuilder();
        var media = new StringBuilder();
        var inMedia = false;
        foreach (var line in encoderSdp.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                inMedia = true;
                // The port is meaningless over RTSP/TCP; the stream goes where SETUP says.
                var parts = line.Split(' ');
                parts[1] = "0";
                media.Append(string.Join(' ', parts)).Append("\r\n");
                continue;
            }
            var rewritten = line switch
            {
                _ when line.StartsWith("s=", StringComparison.Ordinal) => $"s={cameraId}",
                _ when line.StartsWith("c=", StringComparison.Ordinal) => "c=IN IP4 0.0.0.0",
                _ => line,
            };
            (inMedia ? media : session).Append(rewritten).Append("\r\n");
        }
        session.Append("a=control:*\r\n");
        media.Append("a=control:").Append(TrackControl).Append("\r\n");
        return session.Append(media).ToString();
    }
}

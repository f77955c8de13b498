using System.Globalization;
using FFMpegCore;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>The ffmpeg command that pulls a camera over RTSP/TCP and remuxes its video, without re-encoding, to live HLS.</summary>
internal static class HlsCommand
{
    private const string HlsFlags = "delete_segments+temp_file+independent_segments+omit_endlist+program_date_time";

    public static FFMpegArgumentProcessor Build(Uri rtspUrl, HlsOutput output, VideoRelayOptions options) =>
        FFMpegArguments
            .FromUrlInput(rtspUrl, input => input.WithCustomArgument(string.Join(' ',
                "-hide_banner -nostats -loglevel warning",
                "-rtsp_transport tcp",
                $"-timeout {Microseconds(options.ReadTimeout)}",
                $"-analyzeduration {Microseconds(options.AnalyzeDuration)}")))
            .OutputToFile(output.PlaylistPath, overwrite: true, hls => hls.WithCustomArgument(string.Join(' ',
                // Video only: camera audio (often G.711) is not playable in browsers and would need transcoding.
                "-map 0:v:0 -c copy",
                "-f hls",
                $"-hls_time {Seconds(options.SegmentLength)}",
                $"-hls_list_size {options.PlaylistSize}",
                $"-hls_flags {HlsFlags}",
                // Numbering from the clock keeps media sequence numbers rising across restarts, so players carry on.
                "-hls_start_number_source epoch",
                $"-hls_segment_filename \"{output.SegmentPathPattern}\"")));

    private static string Microseconds(TimeSpan value) => ((long)value.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

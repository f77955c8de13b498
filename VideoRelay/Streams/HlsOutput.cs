using System.Text.RegularExpressions;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>The HLS files of one stream: <c>index.m3u8</c> and <c>seg-N.ts</c> in the stream's own folder.</summary>
internal sealed partial class HlsOutput(string directory)
{
    public const string PlaylistName = "index.m3u8";
    public const string SegmentPattern = "seg-%d.ts";

    public string Directory { get; } = directory;
    public string PlaylistPath => Path.Combine(Directory, PlaylistName);
    public string SegmentPathPattern => Path.Combine(Directory, SegmentPattern);

    /// <summary>Only names ffmpeg gives finished segments; rejects temporary files and anything path-like.</summary>
    public static bool IsSegmentName(string? name) => name is not null && SegmentName().IsMatch(name);

    /// <summary>The full path of a segment, or null if the name is not a segment name.</summary>
    public string? SegmentPath(string name) => IsSegmentName(name) ? Path.Combine(Directory, name) : null;

    /// <summary>The newest segment listed in the playlist, or null when there is no playlist yet.</summary>
    public string? NewestSegment()
    {
        try
        {
            var lines = File.ReadAllLines(PlaylistPath);
            for (var i = lines.Length - 1; i >= 0; i--)
                if (IsSegmentName(lines[i].Trim())) return lines[i].Trim();
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Empties the folder so a new run starts without a stale playlist.</summary>
    public void Reset()
    {
        Delete();
        System.IO.Directory.CreateDirectory(Directory);
    }

    public void Delete()
    {
        try
        {
            if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"^seg-[0-9]{1,20}\.ts$")]
    private static partial Regex SegmentName();
}

using System.Text.Json.Serialization;

namespace CommandCenter.VideoRelay.Streams;

[JsonConverter(typeof(JsonStringEnumConverter<StreamState>))]
public enum StreamState
{
    /// <summary>ffmpeg is connecting; no segment yet.</summary>
    Starting,

    /// <summary>Segments are being produced.</summary>
    Online,

    /// <summary>The last run was lost; waiting out the back-off before the next.</summary>
    Retrying,

    Stopped,
}

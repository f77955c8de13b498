using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Live;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

public sealed class VideoAlertOptions
{
    public const string Section = "VideoAlerts";

    public AlertSeverity StreamLostSeverity { get; set; } = AlertSeverity.Major;
}

/// <summary>
/// A CCTV camera: its registration (position, view, stream URL), heartbeat liveness from its own
/// status messages, and stream health from the video relay, which raises a stream-lost alert.
/// </summary>
[GrainType("camera")]
public sealed class CameraGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveBoard board,
    IOptions<DeviceOptions> options,
    IOptions<VideoAlertOptions> videoAlerts,
    TimeProvider clock) : DeviceGrain(state, board, options, clock), ICameraGrain
{
    public const string StreamLostAlertType = "stream-lost";

    /// <summary>
    /// The words a stream-lost title may carry. The relay sends one of these; anything else (ffmpeg's text, which
    /// can hold a camera URL) is never put into a title, which every screen and API caller sees.
    /// </summary>
    public static readonly IReadOnlySet<string> StreamLossCategories = new HashSet<string>(StringComparer.Ordinal) { "stream unavailable", "stalled", "ended" };

    private static string LossCategory(string? reason) =>
        reason is not null && StreamLossCategories.Contains(reason) ? reason : "stream unavailable";

    protected override DeviceKind Kind => DeviceKind.Camera;

    public async Task Register(CameraRegistration registration)
    {
        State.Camera = registration;
        State.Position = registration.Position;
        SaveAtOnce();
        await Commit();
    }

    public Task<Uri?> GetStreamUrl() => Task.FromResult(State.Camera?.StreamUrl);

    public async Task ReportStream(bool online, string? reason)
    {
        // Pictures arriving are as good a sign of life as a status message.
        if (online) await Heard();
        if (State.StreamOnline == online)
        {
            await Commit();
            return;
        }
        State.StreamOnline = online;
        SaveAtOnce();
        var alert = AlertOf(StreamLostAlertType);
        if (online)
            await alert.Clear(Now, "video relay");
        else
            await alert.Raise(new AlertCondition(Now, videoAlerts.Value.StreamLostSeverity,
                $"Camera {State.Camera?.Name ?? Id}: video stream lost ({LossCategory(reason)})", State.Position));
        await Commit();
    }
}

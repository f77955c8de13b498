using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Live;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// A CCTV camera: its registration (position, view, stream URL), heartbeat liveness from its own
/// status messages, and stream health from the video relay, which raises a stream-lost alert.
/// </summary>
[GrainType("camera")]
public sealed class CameraGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveFeed feed,
    IOptions<DeviceOptions> options,
    IOptions<VideoAlertOptions> videoAlerts,
    IDataProtectionProvider protection,
    [FromKeyedServices(RuleClock.Key)] TimeProvider clock) : DeviceGrain(state, feed, options, clock), ICameraGrain
{
    /// <summary>Purpose of the data-protection keys that encrypt stream URLs in stored state.</summary>
    public const string StreamUrlPurpose = "CommandCenter.Cameras.StreamUrl";

    private readonly IDataProtector _streamUrls = protection.CreateProtector(StreamUrlPurpose);

    public const string StreamLostAlertType = SystemAlertTypes.StreamLost;

    /// <summary>
    /// The words a stream-lost title may carry. The relay sends one of these; anything else (ffmpeg's text, which
    /// can hold a camera URL) is never put into a title, which every screen and API caller sees.
    /// </summary>
    public static readonly IReadOnlySet<string> StreamLossCategories = new HashSet<string>(StringComparer.Ordinal) { "stream unavailable", "stalled", "ended" };

    private static string LossCategory(string? reason) =>
        reason is not null && StreamLossCategories.Contains(reason) ? reason : "stream unavailable";

    protected override DeviceKind Kind => DeviceKind.Camera;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        // State written before URLs were encrypted holds the URL in the clear: encrypt it now.
        if (State.Camera is { } camera && State.ProtectedStreamUrl is null)
        {
            Protect(camera.StreamUrl);
            await Save();
        }
        // Cameras registered before the coverage index existed join it when they next wake.
        await PlaceInCoverage();
    }

    /// <summary>Keeps the cluster's coverage index where this camera stands and looks; the index ignores what it knows already.</summary>
    private Task PlaceInCoverage() =>
        GrainFactory.GetGrain<ICameraCoverageGrain>(0).Place(Id,
            State is { Position: { } position, Camera.View: { } view } ? new CameraPlace(position, view) : null);

    public override async Task Retire()
    {
        await base.Retire();
        await GrainFactory.GetGrain<ICameraCoverageGrain>(0).Place(Id, null);
    }

    /// <summary>
    /// A camera whose status message gives a new place (re-mounted, or on a vehicle) or a new heading (a dome camera
    /// turned) is placed again in the coverage index; the heading is kept at once, as a registration is.
    /// </summary>
    public override async Task ReportStatus(DeviceStatusReport status)
    {
        var before = (State.Position, State.Camera?.View);
        if (status.Heading is { } heading && State.Camera is { } camera && camera.View.Heading != heading)
        {
            State.Camera = camera with { View = camera.View with { Heading = heading } };
            SaveAtOnce();
        }
        await base.ReportStatus(status);
        if ((State.Position, State.Camera?.View) != before) await PlaceInCoverage();
    }

    public async Task Register(CameraRegistration registration)
    {
        State.Camera = registration;
        Protect(registration.StreamUrl);
        State.Position = registration.Position;
        SaveAtOnce();
        await Commit();
        await PlaceInCoverage();
    }

    public Task<Uri?> GetStreamUrl()
    {
        if (State.Camera is null) return Task.FromResult<Uri?>(null);
        if (State.ProtectedStreamUrl is not { } protectedUrl) return Task.FromResult<Uri?>(State.Camera.StreamUrl);
        try
        {
            return Task.FromResult<Uri?>(new Uri(_streamUrls.Unprotect(protectedUrl)));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"The stream URL of camera {Id} cannot be decrypted (were the data-protection keys lost?); register the camera again.", e);
        }
    }

    /// <summary>
    /// Keeps the URL encrypted; the registration on disk keeps only scheme, host and port (where credentials never
    /// are), so the file holds no user-info, path or query.
    /// </summary>
    private void Protect(Uri streamUrl)
    {
        State.ProtectedStreamUrl = _streamUrls.Protect(streamUrl.OriginalString);
        State.Camera = State.Camera! with { StreamUrl = new UriBuilder(streamUrl.Scheme, streamUrl.Host, streamUrl.Port).Uri };
    }

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

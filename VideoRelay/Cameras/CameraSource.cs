namespace CommandCenter.VideoRelay.Cameras;

/// <summary>A camera the relay may pull. <paramref name="RtspUrl"/> may carry credentials; they never leave the server.</summary>
public sealed record CameraSource(string Id, Uri RtspUrl);

using System.Collections.Concurrent;
using CommandCenter.VideoRelay.Cameras;

namespace CommandCenter.VideoRelay.Tests.Infrastructure;

/// <summary>A camera directory the test fills in.</summary>
public sealed class CameraDirectory : ICameraDirectory
{
    private readonly ConcurrentDictionary<string, Uri> _cameras = new();

    public CameraDirectory Add(string cameraId, Uri rtspUrl)
    {
        _cameras[cameraId] = rtspUrl;
        return this;
    }

    public ValueTask<CameraSource?> FindAsync(string cameraId, CancellationToken ct) =>
        ValueTask.FromResult(_cameras.TryGetValue(cameraId, out var url) ? new CameraSource(cameraId, url) : null);
}

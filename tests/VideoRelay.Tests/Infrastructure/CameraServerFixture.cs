using CommandCenter.Simulators.Cameras;

namespace CommandCenter.VideoRelay.Tests.Infrastructure;

/// <summary>Simulated cameras for one test class; each test uses cameras of its own, so tests can break them.</summary>
public class CameraServerFixture : IAsyncLifetime
{
    public const int CameraCount = 12;

    public SimulatedCameraServer Server { get; private set; } = null!;

    protected virtual SimulatedCameraOptions Options() => new()
    {
        Port = 0,
        CameraCount = CameraCount,
        EncoderLinger = TimeSpan.FromSeconds(1),
    };

    public Task InitializeAsync()
    {
        Server = new SimulatedCameraServer(Options());
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public SimulatedCamera Camera(int number) => Server.Camera(Server.Cameras.ElementAt(number - 1).Id);

    public CameraDirectory DirectoryOf(params int[] numbers)
    {
        var directory = new CameraDirectory();
        foreach (var n in numbers) directory.Add(Camera(n).Id, Server.UrlFor(Camera(n).Id));
        return directory;
    }
}

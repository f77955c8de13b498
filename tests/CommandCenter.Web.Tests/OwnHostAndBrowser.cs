namespace CommandCenter.Web.Tests;

/// <summary>A command center of the test class's own, started with the class's settings, and a chromium to look at it.</summary>
public abstract class OwnHostAndBrowser(IDictionary<string, string> settings) : IAsyncLifetime
{
    protected CommandCenterProcess Host { get; } = new(settings: settings);
    protected Browser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Host.Start();
        Chromium = await Browser.Launch();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Host.DisposeAsync();
    }
}

namespace CommandCenter.Web.Tests;

/// <summary>A setting out of range stops the host at start, saying which setting, rather than misbehaving later.</summary>
[Collection(OwnHosts.Name)]
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Live__PushInterval", "00:00:00", "Live:PushInterval must be")]
    [InlineData("VideoAlerts__StreamLostSeverity", "9", "VideoAlerts:StreamLostSeverity must be")]
    [InlineData("CameraCoverage__MaxCameras", "0", "CameraCoverage: MaxCameras must be")]
    public async Task A_bad_value_stops_the_host_naming_the_setting(string setting, string value, string message)
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string> { [setting] = value });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.Start);

        Assert.Contains("exited with", refused.Message);
        Assert.Contains(message, host.Log);
    }
}

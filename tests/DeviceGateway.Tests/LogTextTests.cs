namespace CommandCenter.DeviceGateway.Tests;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("cc/sensor/s1/telemetry", "cc/sensor/s1/telemetry")]
    [InlineData("a\r\nINFO forged line", "a\\u000d\\u000aINFO forged line")]
    [InlineData("nul\0esc\u001b[31m", "nul\\u0000esc\\u001b[31m")]
    [InlineData("line\u2028sep\u202Eevil", "line\\u2028sep\\u202eevil")]
    [InlineData("白银市城管通", "白银市城管通")]
    public void Control_characters_become_visible_escapes(string text, string expected) =>
        Assert.Equal(expected, LogText.Safe(text));

    [Fact]
    public void Long_text_is_cut_and_says_how_much_was_left_out()
    {
        var safe = LogText.Safe(new string('x', 1000), 10);
        Assert.Equal("xxxxxxxxxx…(+990)", safe);
    }
}

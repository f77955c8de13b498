using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.VideoRelay.Tests;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("rtsp://admin:s3cret@10.0.0.5:554/stream1: Server returned 401", "rtsp://***@10.0.0.5:554/stream1: Server returned 401")]
    [InlineData("tcp://u:p@host and rtsp://x:y@cam/a", "tcp://***@host and rtsp://***@cam/a")]
    [InlineData("rtsp://admin:p@ss@cam/a", "rtsp://***@cam/a")]
    [InlineData("rtsp://cam:554/a no credentials", "rtsp://cam:554/a no credentials")]
    public void Masks_user_info_in_urls(string text, string expected) => Assert.Equal(expected, UrlRedactor.Redact(text));

    [Fact]
    public void Masks_known_credentials_standing_alone()
    {
        var url = new Uri("rtsp://admin:s3cr%40t!@cam/a");
        Assert.Equal("auth *** failed, user ***", UrlRedactor.Redact("auth s3cr@t! failed, user admin:s3cr%40t!", url));
    }

    [Fact]
    public void Logs_urls_without_user_info() =>
        Assert.Equal("rtsp://cam:554/a?b=1", UrlRedactor.ForLog(new Uri("rtsp://admin:secret@cam:554/a?b=1")));

    [Theory]
    [InlineData("rtsp://10.0.0.5/x?token=SECRET1&password=SECRET2: 404", "rtsp://10.0.0.5/x?token=***&password=***: 404")]
    [InlineData("rtsp://cam/a?channel=1&PWD=abc;subtype=0", "rtsp://cam/a?channel=1&PWD=***;subtype=0")]
    [InlineData("rtsp://cam/a?access_token=t0k&apikey=k3y&sig=s1g#frag", "rtsp://cam/a?access_token=***&apikey=***&sig=***#frag")]
    [InlineData("rtsp://cam/a?Auth=x&passwd=y&pass=z&secret=w&signature=v&key=u", "rtsp://cam/a?Auth=***&passwd=***&pass=***&secret=***&signature=***&key=***")]
    [InlineData("Opening 'rtsp://u:p@cam/a?user=bob&pwd=p4ss' failed", "Opening 'rtsp://***@cam/a?user=bob&pwd=***' failed")]
    [InlineData("rtsp://cam/a?channel=1&subtype=0", "rtsp://cam/a?channel=1&subtype=0")]
    public void Masks_secret_query_values_in_urls(string text, string expected) => Assert.Equal(expected, UrlRedactor.Redact(text));

    [Fact]
    public void Masks_known_query_secrets_standing_alone_and_decoded()
    {
        var url = new Uri("rtsp://cam/a?token=SECRET1&password=p%40ss-word&channel=7");
        Assert.Equal("token *** rejected; password *** wrong; channel 7",
            UrlRedactor.Redact("token SECRET1 rejected; password p@ss-word wrong; channel 7", url));
    }

    [Fact]
    public void Logs_urls_without_secret_query_values() =>
        Assert.Equal("rtsp://cam:554/a?b=1&token=***", UrlRedactor.ForLog(new Uri("rtsp://admin:secret@cam:554/a?b=1&token=abcdef")));
}

public sealed class NameValidationTests
{
    [Theory]
    [InlineData("cam-0001", true)]
    [InlineData("Camera_7.main", true)]
    [InlineData("-cam", true)]
    [InlineData("..", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("", false)]
    [InlineData("cam 1", false)]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234", true)]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345", false)]
    public void Camera_ids(string id, bool valid) => Assert.Equal(valid, CameraIds.IsValid(id));

    [Theory]
    [InlineData("seg-1795995538.ts", true)]
    [InlineData("seg-1.ts.tmp", false)]
    [InlineData("index.m3u8", false)]
    [InlineData("../seg-1.ts", false)]
    [InlineData("seg-1.ts/..", false)]
    public void Segment_names(string name, bool valid) => Assert.Equal(valid, HlsOutput.IsSegmentName(name));
}

public sealed class RestartBackoffTests
{
    [Fact]
    public void Doubles_up_to_the_maximum_and_resets()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds));
        backoff.Reset();
        Assert.Equal(1, backoff.Next().TotalSeconds);
    }
}

using System.Buffers;
using System.Text;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class DeviceMessageParserTests
{
    private static DeviceMessage Parse(string topic, string json) =>
        DeviceMessageParser.Parse(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    private static RejectReason Rejection(string topic, string json) =>
        Assert.Throws<RejectedMessageException>(() => Parse(topic, json)).Reason;

    [Fact]
    public void Sensor_telemetry_carries_pollutant_codes_and_the_device_time()
    {
        var message = Assert.IsType<SensorTelemetry>(Parse("cc/sensor/sensor-0001/telemetry",
            """{"ts":"2026-11-29T08:15:00+08:00","values":{"a34004":82.5,"a21005":0.9}}"""));
        Assert.Equal("sensor-0001", message.DeviceId);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 15, 0, TimeSpan.Zero), message.Reading.Ts);
        Assert.Equal(82.5, message.Reading.Values["a34004"]);
        Assert.Equal(0.9, message.Reading.Values["a21005"]);
        Assert.Null(message.Reading.Position);
    }

    [Fact]
    public void Handheld_telemetry_carries_position_and_battery()
    {
        var message = Assert.IsType<HandheldTelemetry>(Parse("cc/handheld/hh-0007/telemetry",
            """{"ts":"2026-11-29T00:15:00Z","lat":36.5451,"lon":104.1382,"battery":0.82,"speed":1.3}"""));
        Assert.Equal(new GeoPoint(36.5451, 104.1382), message.Fix.Position);
        Assert.Equal(0.82, message.Fix.Battery);
        Assert.Equal(1.3, message.Fix.Speed);
    }

    [Fact]
    public void Status_and_event_work_for_every_kind()
    {
        var status = Assert.IsType<StatusMessage>(Parse("cc/camera/cam-1/status", """{"ts":"2026-11-29T00:15:00Z","online":false}"""));
        Assert.Equal(DeviceKind.Camera, status.Kind);
        Assert.False(status.Status.Online);

        var sos = Assert.IsType<EventMessage>(Parse("cc/handheld/hh-1/event",
            """{"ts":"2026-11-29T00:15:00Z","type":"sos","severity":"critical","text":"help"}"""));
        Assert.Equal(AlertSeverity.Critical, sos.Event.Severity);
        Assert.Equal("sos", sos.Event.Type);
    }

    [Theory]
    [InlineData("cc/sensor/s1", RejectReason.Topic)]
    [InlineData("other/sensor/s1/telemetry", RejectReason.Topic)]
    [InlineData("cc/drone/d1/telemetry", RejectReason.Kind)]
    [InlineData("cc/sensor/bad id/telemetry", RejectReason.DeviceId)]
    [InlineData("cc/sensor/s1/video", RejectReason.Channel)]
    [InlineData("cc/camera/c1/telemetry", RejectReason.Channel)]
    public void Topics_outside_the_contract_are_rejected(string topic, RejectReason reason) =>
        Assert.Equal(reason, Rejection(topic, """{"ts":"2026-11-29T00:15:00Z","values":{"a34004":1}}"""));

    [Theory]
    [InlineData("{not json", RejectReason.Json)]
    [InlineData("[1,2]", RejectReason.Json)]
    [InlineData("""{"values":{"a34004":1}}""", RejectReason.Timestamp)]
    [InlineData("""{"ts":"2026-11-29T08:15:00","values":{"a34004":1}}""", RejectReason.Timestamp)]
    [InlineData("""{"ts":"yesterday+08:00","values":{"a34004":1}}""", RejectReason.Timestamp)]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","values":{"a34004":"82"}}""", RejectReason.Field)]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","values":{"a34004":-1}}""", RejectReason.Field)]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","values":{"PM25":1}}""", RejectReason.Field)]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","values":{}}""", RejectReason.Field)]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","values":[1]}""", RejectReason.Field)]
    public void Sensor_payloads_that_break_the_contract_are_rejected(string json, RejectReason reason) =>
        Assert.Equal(reason, Rejection("cc/sensor/s1/telemetry", json));

    [Theory]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","lat":"36.5","lon":104.1,"battery":0.5}""")]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","lat":96.5,"lon":104.1,"battery":0.5}""")]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","lat":36.5,"lon":104.1,"battery":82}""")]
    [InlineData("""{"ts":"2026-11-29T00:15:00Z","lat":36.5,"battery":0.5}""")]
    public void Handheld_payloads_with_wrong_fields_are_rejected(string json) =>
        Assert.Equal(RejectReason.Field, Rejection("cc/handheld/hh-1/telemetry", json));

    [Theory]
    [InlineData("cc/camera/c1/status", """{"ts":"2026-11-29T00:15:00Z","online":"yes"}""")]
    [InlineData("cc/camera/c1/event", """{"ts":"2026-11-29T00:15:00Z","type":"Tamper!"}""")]
    [InlineData("cc/camera/c1/event", """{"ts":"2026-11-29T00:15:00Z","type":"tamper","severity":"urgent"}""")]
    public void Status_and_event_payloads_with_wrong_fields_are_rejected(string topic, string json) =>
        Assert.Equal(RejectReason.Field, Rejection(topic, json));
}

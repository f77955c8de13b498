using System.Net;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// Turns one data segment into grain calls: authenticates the monitor against the device registry (MN = sensor id,
/// PW = its secret), reads the CP by command code and applies the gateway's clock window. Real-time data (2011) goes
/// to the sensor as a reading; minute, hour and day data (2051, 2061, 2031) as averages.
/// </summary>
public sealed class Hj212Ingest(
    IGrainFactory grains, DeviceSignIn signIn, DeviceMessageParser contract, GatewayStats stats,
    IOptions<Hj212Options> options, IOptions<GatewayOptions> gateway)
{
    public const string RealTimeCn = "2011";
    private static readonly Dictionary<string, string> AveragePeriods = new()
    {
        ["2051"] = "minute", ["2061"] = "hour", ["2031"] = "day",
    };

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>Checks who sent the packet before anything else, so a stranger learns nothing from the errors.</summary>
    /// <exception cref="RejectedMessageException">Unknown MN, wrong PW, or an MN that is not a sensor.</exception>
    public async Task Authenticate(Hj212Packet packet, IPAddress? client)
    {
        var result = DeviceRegistry.IsValidId(packet.Mn) ? await signIn.SignIn(packet.Mn, packet.Pw, client) : default;
        if (result.Device is not { Kind: DeviceKind.Sensor })
        {
            var why = result.Refusal is SignInRefusal.Limited or SignInRefusal.Busy ? $": {result.Detail}" : "";
            throw new RejectedMessageException(RejectReason.Auth, $"MN '{LogText.Safe(packet.Mn, 64)}' is not a registered sensor with this PW{why}");
        }
    }

    /// <summary>Applies an authenticated, complete packet; returns once the sensor grain has taken it.</summary>
    /// <exception cref="RejectedMessageException">The CP or the command code breaks the contract.</exception>
    public async Task Apply(Hj212Packet packet)
    {
        var isAverage = AveragePeriods.TryGetValue(packet.Cn, out var period);
        if (packet.Cn != RealTimeCn && !isAverage)
            throw new RejectedMessageException(RejectReason.Field, $"CN '{LogText.Safe(packet.Cn, 8)}' is not data the command center takes (2011, 2051, 2061, 2031)");
        Hj212Data data;
        try
        {
            data = Hj212CpParser.Parse(packet.Cp, gateway.Value.MaxValuesPerMessage);
        }
        catch (Hj212FormatException e)
        {
            throw new RejectedMessageException(RejectReason.Field, e.Message);
        }
        DateTimeOffset local;
        try
        {
            local = new DateTimeOffset(data.DataTime, _zone.GetUtcOffset(data.DataTime));
        }
        catch (ArgumentOutOfRangeException)
        {
            // 00010101000000 in a zone ahead of UTC is before the first representable instant.
            throw new RejectedMessageException(RejectReason.Timestamp, $"DataTime {data.DataTime:yyyyMMddHHmmss} is outside the range of dates");
        }
        var at = contract.CheckClock(local, "DataTime");
        var sensor = grains.GetGrain<ISensorGrain>(packet.Mn);
        if (isAverage)
        {
            var averages = data.Values.Where(v => v.Value.Avg is not null || v.Value.Min is not null || v.Value.Max is not null)
                .ToDictionary(v => v.Key, v => new PollutantAverage(period!, v.Value.Avg, v.Value.Min, v.Value.Max, v.Value.Flag, at));
            if (averages.Count == 0) throw new RejectedMessageException(RejectReason.Field, "CP has no -Avg, -Min or -Max value");
            stats.Accepted();
            await sensor.ReportAverages(new SensorAverages(at, averages));
            return;
        }
        var realTime = data.Values.Where(v => v.Value.Rtd is not null).ToList();
        if (realTime.Count == 0) throw new RejectedMessageException(RejectReason.Field, "CP has no -Rtd value");
        var reading = new SensorReading(at, realTime.ToDictionary(v => v.Key, v => v.Value.Rtd!.Value), null,
            realTime.ToDictionary(v => v.Key, v => v.Value.Flag));
        stats.Accepted();
        if (await sensor.Report(reading) == ReportOutcome.Late) stats.Late();
    }
}

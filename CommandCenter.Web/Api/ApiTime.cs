using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Api;

/// <summary>
/// The one offset the API, the live hub and the CSV exports write times in: the city's zone
/// (<see cref="Localization.DisplayOptions.TimeZone"/>, <c>Display:TimeZone</c>, default Asia/Shanghai), so a reading's time (sent with the device's offset) and a server time (taken in UTC) read
/// alike. Times sent to the API may carry any offset; only what is written is converted.
/// </summary>
public sealed class ApiTime(TimeZoneInfo zone)
{
    /// <summary>For writers that are given no zone (tests of the CSV layout): the default city.</summary>
    public static readonly ApiTime Default = new(TimeZoneInfo.FindSystemTimeZoneById(new Localization.DisplayOptions().TimeZone));

    public TimeZoneInfo Zone => zone;

    public DateTimeOffset Of(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone);

    /// <summary>A spreadsheet cell: <c>2026-12-01 08:12:34 +08:00</c>, Excel reads the date and time; "—" for none.</summary>
    public string CsvText(DateTimeOffset? at) =>
        at is { } value ? Of(value).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "—";

    public static void Register(IServiceCollection services)
    {
        // The zone the screens use (validated at start-up with the rest of the display options).
        services.AddSingleton(sp => new ApiTime(sp.GetRequiredService<Localization.CityTime>().Zone));
        services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>().Configure<ApiTime>((o, time) =>
            o.SerializerOptions.Converters.Add(new Converter(time)));
        services.AddOptions<JsonHubProtocolOptions>().Configure<ApiTime>((o, time) =>
            o.PayloadSerializerOptions.Converters.Add(new Converter(time)));
    }

    /// <summary>ISO-8601 as System.Text.Json writes it, in the city's offset.</summary>
    public sealed class Converter(ApiTime time) : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(time.Of(value));
    }
}

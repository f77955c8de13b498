using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.History;

/// <summary>
/// History on a time-series server: written through InfluxDB.Client (line protocol over the InfluxDB v2 write API) as
/// measurement <c>pollution</c>, field <c>value</c>, tags <c>device</c>, <c>pollutant</c>, <c>period</c>, <c>flag</c>;
/// read back through the Prometheus query API, where the series is <c>pollution_value</c> with those labels
/// (VictoriaMetrics answers both; InfluxDB 2 itself answers only the writes).
/// </summary>
public sealed class InfluxHistoryStore : IHistoryStore, IDisposable
{
    public const string Measurement = "pollution";
    public const string Field = "value";
    public const string Metric = $"{Measurement}_{Field}";

    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _write;
    private readonly HttpClient _query;
    private readonly HistoryOptions _options;

    public InfluxHistoryStore(IOptions<HistoryOptions> options)
    {
        _options = options.Value;
        var client = new InfluxDBClientOptions(_options.Url);
        // The client refuses an empty token; a server without authentication (VictoriaMetrics by default) needs none.
        if (!string.IsNullOrEmpty(_options.Token)) client.Token = _options.Token;
        _client = new InfluxDBClient(client);
        _write = _client.GetWriteApiAsync();
        _query = new HttpClient { BaseAddress = new Uri(_options.Url!), Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(_options.Token))
            _query.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", _options.Token);
    }

    public string Name => "influx";

    public static PointData ToPoint(HistoryPoint point) => PointData.Measurement(Measurement)
        .Tag("device", point.Device)
        .Tag("pollutant", point.Pollutant)
        .Tag("period", point.Period)
        .Tag("flag", point.Flag)
        .Field(Field, point.Value)
        .Timestamp(point.Ts.ToUnixTimeMilliseconds(), WritePrecision.Ms);

    public Task WriteAsync(IReadOnlyList<HistoryPoint> points, CancellationToken cancellation) =>
        _write.WritePointsAsync(points.Where(p => double.IsFinite(p.Value)).Select(ToPoint).ToList(), _options.Bucket, _options.Org, cancellation);

    public async Task<IReadOnlyList<HistoryValue>> QueryAsync(HistoryQuery query, CancellationToken cancellation) =>
        query.Step is { } step ? await Averages(query, step, cancellation) : await Raw(query, cancellation);

    private static string Selector(HistoryQuery query, bool normalOnly) =>
        $"{Metric}{{device=\"{Quote(query.Device)}\",pollutant=\"{Quote(query.Pollutant)}\",period=\"{Quote(query.Period)}\"{(normalOnly ? ",flag=\"N\"" : "")}}}";

    private static string Quote(string label) => label.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static string Seconds(long unixMilliseconds) => (unixMilliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Raw values from /api/v1/export (one JSON line per series: each flag is a series of its own), merged by time.</summary>
    private async Task<IReadOnlyList<HistoryValue>> Raw(HistoryQuery query, CancellationToken cancellation)
    {
        // The export's end is inclusive; the query's is not.
        var url = $"/api/v1/export?match[]={Uri.EscapeDataString(Selector(query, normalOnly: false))}" +
                  $"&start={Seconds(query.From.ToUnixTimeMilliseconds())}&end={Seconds(query.To.ToUnixTimeMilliseconds() - 1)}";
        using var response = await _query.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
        var values = new List<HistoryValue>();
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.Length == 0) continue;
            using var series = JsonDocument.Parse(line);
            var root = series.RootElement;
            var flag = root.GetProperty("metric").TryGetProperty("flag", out var f) ? f.GetString() : null;
            var stamps = root.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).ToList();
            var i = 0;
            foreach (var value in root.GetProperty("values").EnumerateArray())
                values.Add(new HistoryValue(DateTimeOffset.FromUnixTimeMilliseconds(stamps[i++]), value.GetDouble(), flag ?? "N"));
            if (values.Count > query.MaxPoints) break;
        }
        values.Sort((a, b) => a.Ts.CompareTo(b.Ts));
        return values.Count > query.MaxPoints + 1 ? values[..(query.MaxPoints + 1)] : values;
    }

    /// <summary>
    /// Step averages from /api/v1/query_range: evaluated at the end of each epoch-aligned bucket, over the bucket,
    /// shifted back 1 ms so that a bucket holds its start and not its end, as the embedded store's do.
    /// </summary>
    private async Task<IReadOnlyList<HistoryValue>> Averages(HistoryQuery query, TimeSpan step, CancellationToken cancellation)
    {
        var stepMs = (long)step.TotalMilliseconds;
        var first = Math.DivRem(query.From.ToUnixTimeMilliseconds(), stepMs).Quotient * stepMs;
        var last = Math.DivRem(query.To.ToUnixTimeMilliseconds() - 1, stepMs).Quotient * stepMs;
        var promql = $"avg_over_time({Selector(query, normalOnly: true)}[{stepMs}ms] offset 1ms)";
        var url = $"/api/v1/query_range?query={Uri.EscapeDataString(promql)}&start={Seconds(first + stepMs)}&end={Seconds(last + stepMs)}" +
                  $"&step={Seconds(stepMs)}s&nocache=1";
        using var response = await _query.GetAsync(url, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"query_range answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        var values = new List<HistoryValue>();
        foreach (var series in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        foreach (var pair in series.GetProperty("values").EnumerateArray())
        {
            var end = (long)Math.Round(pair[0].GetDouble() * 1000);
            var value = double.Parse(pair[1].GetString()!, CultureInfo.InvariantCulture);
            values.Add(new HistoryValue(DateTimeOffset.FromUnixTimeMilliseconds(end - stepMs), value, null));
        }
        values.Sort((a, b) => a.Ts.CompareTo(b.Ts));
        return values.Count > query.MaxPoints + 1 ? values[..(query.MaxPoints + 1)] : values;
    }

    public void Dispose()
    {
        _client.Dispose();
        _query.Dispose();
    }
}

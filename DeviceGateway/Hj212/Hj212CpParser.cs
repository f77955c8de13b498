using System.Globalization;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>One pollutant's fields in a CP segment, e.g. Rtd, or Avg / Min / Max, and its data flag.</summary>
public sealed record Hj212Value(double? Rtd, double? Avg, double? Min, double? Max, string Flag);

/// <summary>The CP segment of a data upload: when it was measured (the monitor's local time) and a value set per pollutant.</summary>
public sealed record Hj212Data(DateTime DataTime, IReadOnlyDictionary<string, Hj212Value> Values);

/// <summary>
/// Reads <c>DataTime=yyyyMMddHHmmss;a34004-Rtd=35.2,a34004-Flag=N;…</c>: items of one pollutant are joined by ',',
/// pollutants by ';'. Fields other than Rtd, Avg, Min, Max and Flag (ZsRtd, Cou, SampleTime…) are skipped, not refused:
/// the standard allows them and a monitor sending them is not wrong.
/// </summary>
public static class Hj212CpParser
{
    /// <summary>N normal, F stopped, M maintenance, S set by hand, D fault, C calibrating, T over range, B communication error.</summary>
    public const string Flags = "NFMSDCTB";

    public static Hj212Data Parse(string cp, int maxCodes)
    {
        DateTime? dataTime = null;
        var fields = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var item in cp.Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0) throw new Hj212FormatException($"CP item '{LogText.Safe(item, 32)}' is not NAME=value");
            var name = item[..eq];
            var value = item[(eq + 1)..];
            if (name == "DataTime")
            {
                if (!DateTime.TryParseExact(value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                    throw new Hj212FormatException($"DataTime '{LogText.Safe(value, 20)}' is not yyyyMMddHHmmss");
                dataTime = at;
                continue;
            }
            var dash = name.IndexOf('-');
            if (dash <= 0) continue;
            var code = name[..dash];
            if (!IsPollutantCode(code)) throw new Hj212FormatException($"'{LogText.Safe(code, 16)}' is not an HJ 212 pollutant code");
            if (!fields.TryGetValue(code, out var set))
            {
                if (fields.Count == maxCodes) throw new Hj212FormatException($"CP has more than {maxCodes} pollutant codes");
                fields[code] = set = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            if (!set.TryAdd(name[(dash + 1)..], value))
                throw new Hj212FormatException($"'{LogText.Safe(name, 32)}' appears twice");
        }
        if (dataTime is not { } time) throw new Hj212FormatException("CP has no DataTime");
        var values = fields.ToDictionary(f => f.Key, f => Value(f.Key, f.Value));
        return new Hj212Data(time, values);
    }

    private static Hj212Value Value(string code, Dictionary<string, string> set)
    {
        var flag = set.GetValueOrDefault("Flag") ?? "N";
        if (flag.Length != 1 || !Flags.Contains(flag[0]))
            throw new Hj212FormatException($"{code}-Flag '{LogText.Safe(flag, 8)}' is not one of {Flags}");
        return new Hj212Value(Number(code, set, "Rtd"), Number(code, set, "Avg"), Number(code, set, "Min"), Number(code, set, "Max"), flag);
    }

    private static double? Number(string code, Dictionary<string, string> set, string field)
    {
        if (!set.TryGetValue(field, out var text)) return null;
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new Hj212FormatException($"{code}-{field} '{LogText.Safe(text, 16)}' is not a number");
        return value;
    }

    private static bool IsPollutantCode(string code) =>
        code.Length == 6 && char.IsAsciiLetterLower(code[0]) && code.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}

using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Districts;

/// <summary>A county-level district (GB/T 2260 code) with a box around it.</summary>
public sealed record District(string Code, string Name, double South, double West, double North, double East)
{
    public bool Contains(GeoPoint place) => place.Lat >= South && place.Lat <= North && place.Lon >= West && place.Lon <= East;

    public GeoPoint Centre => new((South + North) / 2, (West + East) / 2);
}

/// <summary>
/// Which district a device is in when the registry names none (devices of the load mode, say): taken from its
/// position. The boxes are approximate outlines of the Baiyin area's districts, good enough for grouping alerts,
/// not for borders; where boxes overlap the first in the table wins, so the small districts come first.
/// </summary>
public static class DistrictMap
{
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<District> Baiyin =
    [
        new("620402", "白银区", 36.35, 103.95, 36.75, 104.45),
        new("620403", "平川区", 36.55, 104.45, 37.05, 105.20),
        new("620423", "景泰县", 36.75, 103.55, 37.65, 104.60),
        new("620421", "靖远县", 36.10, 104.30, 37.20, 105.20),
        new("620422", "会宁县", 35.40, 104.50, 36.20, 105.50),
    ];

    private static readonly Dictionary<string, District> ByCode = Baiyin.ToDictionary(d => d.Code);

    /// <returns>The code of the district around <paramref name="place"/>, or <see cref="Unknown"/>.</returns>
    public static string CodeOf(GeoPoint? place) =>
        place is { } p ? Baiyin.FirstOrDefault(d => d.Contains(p))?.Code ?? Unknown : Unknown;

    /// <summary>"白银区 620402" for a known code; the code itself otherwise.</summary>
    public static string Describe(string code) => ByCode.TryGetValue(code, out var d) ? $"{d.Name} {d.Code}" : code;

    public static GeoPoint? CentreOf(string code) => ByCode.TryGetValue(code, out var d) ? d.Centre : null;
}

using System.Text.Json.Nodes;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Districts;

namespace CommandCenter.Web.Map;

/// <summary>
/// The map's own base layer, drawn with no tile server and no network: district outlines, the Yellow River and the
/// Zuli River, the main roads, town labels and the grid cells (网格), as one GeoJSON FeatureCollection. Everything
/// here is schematic: the outlines are the district boxes of <see cref="DistrictMap"/> (what the command center groups
/// by, not legal borders) and the rivers and roads are a few points along their course through the towns, good for
/// finding one's way on the wall, not for surveying. Built once per process: nothing in it changes while it runs.
/// </summary>
public sealed class BaseMap(GridCells grid)
{
    /// <summary>A line with its name and class ("river", "expressway", "highway"), points as (lon, lat).</summary>
    private sealed record Line(string Name, string Class, (double Lon, double Lat)[] Points);

    /// <summary>A town at its seat, named as the wall labels it.</summary>
    private sealed record Town(string Name, string District, double Lon, double Lat);

    private static readonly Line[] Lines =
    [
        // Out of Lanzhou to the north-east, through Shuichuan to Jingyuan, north past Wufo and out through Heishan Gorge.
        new("黄河 Yellow River", "river",
            [(103.85, 36.07), (104.02, 36.16), (104.20, 36.27), (104.36, 36.38), (104.55, 36.47), (104.68, 36.56),
             (104.74, 36.72), (104.66, 36.90), (104.45, 37.03), (104.33, 37.14), (104.52, 37.28), (104.80, 37.38), (105.20, 37.50)]),
        // From Huining north to where it meets the Yellow River at Jingyuan.
        new("祖厉河 Zuli River", "river",
            [(105.06, 35.66), (105.02, 35.90), (104.93, 36.10), (104.80, 36.32), (104.70, 36.52)]),
        new("G6 京藏高速", "expressway",
            [(103.85, 36.10), (104.05, 36.33), (104.17, 36.54), (104.12, 36.82), (104.07, 37.17), (104.35, 37.42), (104.90, 37.55)]),
        new("G109", "highway",
            [(103.85, 36.06), (104.02, 36.30), (104.17, 36.55), (104.45, 36.58), (104.68, 36.57), (104.84, 36.72), (105.10, 36.95)]),
        new("G247", "highway",
            [(104.07, 37.18), (104.17, 36.55), (104.40, 36.30), (104.75, 36.00), (105.05, 35.70)]),
        new("S201", "highway",
            [(104.17, 36.55), (104.40, 36.72), (104.84, 36.73)]),
        new("G22 青兰高速", "expressway",
            [(104.60, 35.55), (105.05, 35.70), (105.45, 35.85)]),
    ];

    private static readonly Town[] Towns =
    [
        new("白银区", "620402", 104.17, 36.55),
        new("平川区", "620403", 104.84, 36.73),
        new("靖远县", "620421", 104.68, 36.57),
        new("会宁县", "620422", 105.05, 35.69),
        new("景泰县", "620423", 104.07, 37.18),
    ];

    private readonly Lazy<string> _json = new(() => Build(grid).ToJsonString());

    /// <summary>The whole base layer as GeoJSON text.</summary>
    public string Json => _json.Value;

    private static JsonObject Build(GridCells grid)
    {
        var features = new JsonArray();
        foreach (var district in DistrictMap.Baiyin)
            features.Add(Feature("district", district.Name, district.Code, Box(district.South, district.West, district.North, district.East)));
        foreach (var line in Lines)
            features.Add(Feature(line.Class, line.Name, null, new JsonObject
            {
                ["type"] = "LineString",
                ["coordinates"] = new JsonArray(line.Points.Select(p => (JsonNode)Point(p.Lon, p.Lat)).ToArray()),
            }));
        foreach (var town in Towns)
            features.Add(Feature("town", town.Name, town.District, new JsonObject { ["type"] = "Point", ["coordinates"] = Point(town.Lon, town.Lat) }));
        foreach (var district in DistrictMap.Baiyin)
            foreach (var cell in grid.Of(district.Code))
                features.Add(Feature("grid", cell.Code, cell.District, Box(cell.South, cell.West, cell.North, cell.East)));
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
    }

    private static JsonObject Feature(string layer, string name, string? code, JsonObject geometry)
    {
        var properties = new JsonObject { ["layer"] = layer, ["name"] = name };
        if (code is not null) properties["code"] = code;
        return new JsonObject { ["type"] = "Feature", ["properties"] = properties, ["geometry"] = geometry };
    }

    /// <summary>A closed ring, counter-clockwise as RFC 7946 asks of exterior rings.</summary>
    private static JsonObject Box(double south, double west, double north, double east) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(Point(west, south), Point(east, south), Point(east, north), Point(west, north), Point(west, south))),
    };

    // Five decimals are about a metre: more would only make the file longer.
    private static JsonArray Point(double lon, double lat) => new(Math.Round(lon, 5), Math.Round(lat, 5));
}

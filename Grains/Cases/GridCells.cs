using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Districts;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Cases;

/// <summary>A grid cell (网格) with its responsible inspector.</summary>
public sealed record GridCell(string Code, string District, double South, double West, double North, double East, string Inspector)
{
    public GeoPoint Centre => new((South + North) / 2, (West + East) / 2);
}

/// <summary>
/// The grid over the Baiyin demo area: each district's box of <see cref="DistrictMap"/> cut into square cells of
/// <see cref="CaseOptions.GridCellDegrees"/>, coded district + row + column ("620402-03-07", rows from the south,
/// columns from the west). A cell's inspector comes from <c>Cases:GridInspectors</c> (cell code → user name),
/// else <see cref="CaseOptions.DefaultInspector"/>.
/// </summary>
public sealed class GridCells
{
    private readonly double _size;
    private readonly CaseOptions _options;

    public GridCells(IOptions<CaseOptions> options)
    {
        _options = options.Value;
        _size = _options.GridCellDegrees;
    }

    /// <summary>The cell around <paramref name="place"/>, or null outside the demo area.</summary>
    public GridCell? CellOf(GeoPoint? place)
    {
        if (place is not { } p) return null;
        var district = DistrictMap.Baiyin.FirstOrDefault(d => d.Contains(p));
        if (district is null) return null;
        var row = (int)Math.Floor((p.Lat - district.South) / _size);
        var column = (int)Math.Floor((p.Lon - district.West) / _size);
        return Cell(district, row, column);
    }

    public GridCell? Find(string? code)
    {
        var parts = code?.Split('-');
        if (parts is not { Length: 3 } || !int.TryParse(parts[1], out var row) || !int.TryParse(parts[2], out var column)) return null;
        var district = DistrictMap.Baiyin.FirstOrDefault(d => d.Code == parts[0]);
        if (district is null || row < 0 || column < 0 || district.South + row * _size > district.North || district.West + column * _size > district.East)
            return null;
        return Cell(district, row, column);
    }

    /// <summary>Every cell of a district, south-west first.</summary>
    public IEnumerable<GridCell> Of(string districtCode)
    {
        var district = DistrictMap.Baiyin.FirstOrDefault(d => d.Code == districtCode);
        if (district is null) yield break;
        for (var row = 0; district.South + row * _size < district.North; row++)
            for (var column = 0; district.West + column * _size < district.East; column++)
                yield return Cell(district, row, column);
    }

    /// <summary>The codes of the cells <paramref name="inspector"/> is responsible for by name (the default inspector's are all the rest).</summary>
    public IEnumerable<string> AssignedTo(string inspector) =>
        _options.GridInspectors.Where(a => string.Equals(a.Value, inspector, StringComparison.OrdinalIgnoreCase)).Select(a => a.Key);

    private GridCell Cell(District district, int row, int column)
    {
        var code = $"{district.Code}-{row:D2}-{column:D2}";
        var south = district.South + row * _size;
        var west = district.West + column * _size;
        return new(code, district.Code, south, west, Math.Min(south + _size, district.North), Math.Min(west + _size, district.East),
            _options.GridInspectors.GetValueOrDefault(code) ?? _options.DefaultInspector);
    }
}

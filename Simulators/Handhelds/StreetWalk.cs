using CommandCenter.Simulators.Devices;

namespace CommandCenter.Simulators.Handhelds;

/// <summary>
/// A walk along a square street grid around the centre: straight down a street, and at each corner
/// straight on or a turn, staying inside the patrol area.
/// </summary>
public sealed class StreetWalk
{
    // Index × 90° is the heading from north.
    static readonly (int East, int North)[] Directions = [(0, 1), (1, 0), (0, -1), (-1, 0)];

    readonly GeoPoint centre;
    readonly double spacing;
    readonly double patrolRadius;
    readonly double turnProbability;
    readonly Random random;

    double east, north;
    int direction;
    double toNextCorner;

    public StreetWalk(AreaOptions area, WalkOptions walk, Random random)
    {
        centre = new GeoPoint(area.CenterLatitude, area.CenterLongitude);
        spacing = area.StreetSpacingMeters;
        patrolRadius = area.PatrolRadiusMeters;
        turnProbability = walk.TurnProbability;
        this.random = random;
        Speed = walk.SpeedMetersPerSecond * (1 + random.NextBetween(-walk.SpeedVariation, walk.SpeedVariation));

        var cornersFromCentre = (int)(patrolRadius / spacing);
        do
        {
            east = random.Next(-cornersFromCentre, cornersFromCentre + 1) * spacing;
            north = random.Next(-cornersFromCentre, cornersFromCentre + 1) * spacing;
        }
        while (Math.Sqrt(east * east + north * north) > patrolRadius);
        direction = random.Next(Directions.Length);
        toNextCorner = spacing;
    }

    public double Speed { get; }
    public double Heading => direction * 90;
    public GeoPoint Position => centre.OffsetBy(east, north);

    /// <summary>Back on the grid after a task: at the street corner nearest to <paramref name="place"/> inside the patrol area.</summary>
    public void ResumeFrom(GeoPoint place)
    {
        var (placeEast, placeNorth) = centre.OffsetTo(place);
        var scale = Math.Min(1, patrolRadius / Math.Max(1, Math.Sqrt(placeEast * placeEast + placeNorth * placeNorth)));
        east = Math.Truncate(placeEast * scale / spacing) * spacing;
        north = Math.Truncate(placeNorth * scale / spacing) * spacing;
        toNextCorner = spacing;
    }

    public void Advance(TimeSpan elapsed)
    {
        var remaining = Speed * elapsed.TotalSeconds;
        while (remaining > 0)
        {
            var step = Math.Min(remaining, toNextCorner);
            east += Directions[direction].East * step;
            north += Directions[direction].North * step;
            remaining -= step;
            toNextCorner -= step;
            if (toNextCorner > 0) continue;

            // Snap to the corner so that rounding errors never walk anyone off the street.
            east = Math.Round(east / spacing) * spacing;
            north = Math.Round(north / spacing) * spacing;
            direction = ChooseDirectionAtCorner();
            toNextCorner = spacing;
        }
    }

    int ChooseDirectionAtCorner()
    {
        var left = (direction + 3) % Directions.Length;
        var right = (direction + 1) % Directions.Length;
        var back = (direction + 2) % Directions.Length;
        var wanted = random.NextDouble() >= turnProbability ? direction
            : random.Next(2) == 0 ? left : right;

        foreach (var candidate in (int[])[wanted, direction, left, right])
            if (NextCornerIsInside(candidate)) return candidate;
        return back;
    }

    bool NextCornerIsInside(int candidate)
    {
        var nextEast = east + Directions[candidate].East * spacing;
        var nextNorth = north + Directions[candidate].North * spacing;
        return Math.Sqrt(nextEast * nextEast + nextNorth * nextNorth) <= patrolRadius;
    }
}

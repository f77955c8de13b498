using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Intake;

/// <summary>A case that may be the same problem as a new report: its id, category, where it is and how far from the caller's place.</summary>
public sealed record DuplicateCandidate(string Id, string Category, string State, double Lat, double Lon, DateTimeOffset ReportedAt, double DistanceMeters);

/// <summary>
/// Finds the open cases a new report may repeat: the same category, reported within <see cref="IntakeOptions.DuplicateWindow"/>,
/// within <see cref="IntakeOptions.DuplicateRadiusMeters"/> of the place. The index narrows to the category and time; a
/// latitude/longitude box narrows further, and the haversine distance decides.
/// </summary>
public sealed class DuplicateCases
{
    private readonly IRecordDatabase _store;
    private readonly IOptions<IntakeOptions> _options;

    /// <param name="store">Its migration 4 made the index of the search (and of Open311's list by service): one category's cases in time order.</param>
    public DuplicateCases(IRecordDatabase store, IOptions<IntakeOptions> options)
    {
        _store = store;
        _options = options;
    }

    /// <summary>Metres per degree of latitude (and of longitude at the equator), on the sphere the haversine uses.</summary>
    private const double MetersPerDegree = 6_371_000 * Math.PI / 180;

    public Task<List<DuplicateCandidate>> NearAsync(string category, GeoPoint place, DateTimeOffset at) => _store.ReadAsync(connection =>
    {
        var settings = _options.Value;
        var radius = settings.DuplicateRadiusMeters;
        var dLat = radius / MetersPerDegree;
        var dLon = radius / (MetersPerDegree * Math.Max(Math.Cos(double.DegreesToRadians(place.Lat)), 0.01));
        using var command = connection.Command("""
            SELECT id, category, state, lat, lon, reported_at FROM cases
            WHERE category = @category AND reported_at >= @since AND reported_at <= @until
              AND lat BETWEEN @south AND @north AND lon BETWEEN @west AND @east
              AND state NOT IN (@cancelled, @closed)
            ORDER BY reported_at DESC LIMIT 50
            """);
        command.With("@category", category);
        command.With("@since", (at - settings.DuplicateWindow).ToUnixTimeMilliseconds());
        command.With("@until", at.ToUnixTimeMilliseconds());
        command.With("@south", place.Lat - dLat);
        command.With("@north", place.Lat + dLat);
        command.With("@west", place.Lon - dLon);
        command.With("@east", place.Lon + dLon);
        command.With("@cancelled", nameof(CaseState.Cancelled));
        command.With("@closed", nameof(CaseState.Closed));
        using var reader = command.ExecuteReader();
        var found = new List<DuplicateCandidate>();
        while (reader.Read())
        {
            var position = new GeoPoint(reader.GetDouble(3), reader.GetDouble(4));
            var distance = place.DistanceMetersTo(position);
            if (distance > radius) continue;
            found.Add(new DuplicateCandidate(reader.GetString(0), reader.GetString(1), reader.GetString(2), position.Lat, position.Lon,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), Math.Round(distance)));
        }
        return found.OrderBy(c => c.DistanceMeters).ToList();
    });
}

namespace CommandCenter.Simulators.Devices;

/// <summary>A WGS-84 position.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    // Good to a few metres over the few kilometres the simulators cover; no need for a geodesic library.
    const double MetersPerDegreeLatitude = 111_320;

    public GeoPoint OffsetBy(double eastMeters, double northMeters) => new(
        Latitude + northMeters / MetersPerDegreeLatitude,
        Longitude + eastMeters / (MetersPerDegreeLatitude * Math.Cos(double.DegreesToRadians(Latitude))));

    /// <summary>Metres east and north from here to <paramref name="other"/>; the inverse of <see cref="OffsetBy"/>.</summary>
    public (double East, double North) OffsetTo(GeoPoint other) => (
        (other.Longitude - Longitude) * MetersPerDegreeLatitude * Math.Cos(double.DegreesToRadians(Latitude)),
        (other.Latitude - Latitude) * MetersPerDegreeLatitude);
}

namespace CommandCenter.Simulators.Devices;

public static class RandomExtensions
{
    /// <summary>A draw from the standard normal distribution (Box–Muller).</summary>
    public static double NextGaussian(this Random random)
    {
        var nonZero = 1.0 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(nonZero)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    public static double NextBetween(this Random random, double min, double max) => min + (max - min) * random.NextDouble();

    /// <summary>A point spread evenly over the disc of <paramref name="radiusMeters"/> around <paramref name="centre"/>.</summary>
    public static GeoPoint NextPointWithin(this Random random, GeoPoint centre, double radiusMeters)
    {
        var distance = radiusMeters * Math.Sqrt(random.NextDouble());
        var angle = 2 * Math.PI * random.NextDouble();
        return centre.OffsetBy(distance * Math.Sin(angle), distance * Math.Cos(angle));
    }
}

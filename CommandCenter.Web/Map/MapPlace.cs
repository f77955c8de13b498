namespace CommandCenter.Web.Map;

/// <summary>A place chosen on the map, with the alert whose ring it was when there was one.</summary>
public sealed record MapPlace(double Lat, double Lon, string? AlertId);

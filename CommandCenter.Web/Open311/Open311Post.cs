using System.Globalization;

namespace CommandCenter.Web.Open311;

/// <summary>
/// The fields of a GeoReport v2 <c>POST requests</c>, read from the form and checked before anything is created:
/// a post that fails any check is answered with the first problem and leaves no trace.
/// </summary>
public sealed record Open311Post(
    string ServiceCode, double? Lat, double? Lon, string? Address, string? Description, string? MediaUrl,
    string? FirstName, string? LastName, string? Email, string? Phone, string? DeviceId, string? AccountId)
{
    public const int MaxDescription = 4000;
    public const int MaxAddress = 500;
    public const int MaxMediaUrl = 2048;
    public const int MaxName = 100;
    public const int MaxEmail = 254;
    public const int MaxPhone = 32;
    public const int MaxId = 128;

    /// <summary>The reporter's name as one text: first and last name, whichever were given.</summary>
    public string? Name => string.Join(' ', new[] { FirstName, LastName }.Where(n => n is not null)) is { Length: > 0 } name ? name : null;

    public static Open311Post? Read(IFormCollection form, out string? problem)
    {
        problem = null;
        string? Field(string name, int max, ref string? why)
        {
            if (why is not null) return null;
            var values = form[name];
            if (values.Count > 1) { why = $"{name} was given more than once."; return null; }
            var value = values.ToString().Trim();
            if (value.Length == 0) return null;
            if (value.Length > max) { why = $"{name} must be at most {max} characters."; return null; }
            if (value.Any(char.IsControl) && name != "description") { why = $"{name} must not hold control characters."; return null; }
            return value;
        }

        var code = Field("service_code", MaxId, ref problem);
        var latText = Field("lat", 32, ref problem);
        var lonText = Field("long", 32, ref problem);
        var address = Field("address_string", MaxAddress, ref problem);
        var description = Field("description", MaxDescription, ref problem);
        var media = Field("media_url", MaxMediaUrl, ref problem);
        var first = Field("first_name", MaxName, ref problem);
        var last = Field("last_name", MaxName, ref problem);
        var email = Field("email", MaxEmail, ref problem);
        var phone = Field("phone", MaxPhone, ref problem);
        var device = Field("device_id", MaxId, ref problem);
        var account = Field("account_id", MaxId, ref problem);
        if (problem is not null) return null;

        if (code is null) return Fail("service_code is required.", out problem);
        double? lat = null, lon = null;
        if (latText is not null || lonText is not null)
        {
            if (!Coordinate(latText, 90, out var la) || !Coordinate(lonText, 180, out var lo))
                return Fail("lat and long must both be given, as decimal degrees (WGS84): lat -90..90, long -180..180.", out problem);
            (lat, lon) = (la, lo);
        }
        if (lat is null && address is null) return Fail("A location is required: lat and long, or address_string.", out problem);
        if (description is null && media is null) return Fail("description or media_url is required.", out problem);
        if (media is not null && !(Uri.TryCreate(media, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            return Fail("media_url must be an absolute http or https URL.", out problem);
        if (email is not null && (email.IndexOf('@') is var at && (at <= 0 || at == email.Length - 1) || email.Contains(' ')))
            return Fail("email is not an e-mail address.", out problem);
        if (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')'))
            return Fail("phone may hold only digits, spaces and + - ( ).", out problem);
        return new Open311Post(code, lat, lon, address, description, media, first, last, email, phone, device, account);
    }

    private static bool Coordinate(string? text, double limit, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) <= limit;

    private static Open311Post? Fail(string why, out string? problem)
    {
        problem = why;
        return null;
    }
}

namespace CommandCenter.Web.Accounts;

/// <summary>
/// The secrets that ship in appsettings.json and the README. Anyone can read them, so they are fine on loopback
/// and never beyond it (see <see cref="ExposureGuard"/>), and no one may choose one as a new password.
/// </summary>
public static class ShippedSecrets
{
    /// <summary>Seeded user name → the password it ships with.</summary>
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["admin"] = "Admin#2026",
        ["operator"] = "Operator#2026",
        ["inspector"] = "Inspector#2026",
        ["officer"] = "Officer#2026",
    };

    public static readonly IReadOnlySet<string> ApiKeys = new HashSet<string>(StringComparer.Ordinal) { "change-me-wall-screen-key" };

    public static bool IsShippedPassword(string password) => Passwords.Values.Contains(password, StringComparer.Ordinal);
}

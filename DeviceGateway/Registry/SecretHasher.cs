using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>
/// Salted PBKDF2 (SHA-256) hashes of device secrets, stored as <c>pbkdf2-sha256${iterations}${salt}${hash}</c>
/// so that a later change of the work factor still verifies the hashes already stored.
/// </summary>
public static class SecretHasher
{
    private const string Scheme = "pbkdf2-sha256";
    /// <summary>OWASP's 2023 figure for PBKDF2-SHA256 is 600,000; 210,000 keeps a connect under ~100 ms on a slow core, and verified secrets are cached.</summary>
    public const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string secret, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>False for a wrong secret and for a stored value that is not a hash of ours.</summary>
    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException) { return false; }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A new random secret, 32 URL-safe characters (192 bits).</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

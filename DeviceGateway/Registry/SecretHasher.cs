using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>
/// Salted PBKDF2 hashes of device secrets. New hashes are PBKDF2-HMAC-SHA512 in mosquitto 2's password-file
/// format, <c>$7${iterations}${base64 salt}${base64 hash}</c> (a 12-byte salt and a 64-byte hash, the only sizes
/// mosquitto reads), so that the registry can hand an external broker a password file. Hashes of the earlier
/// <c>pbkdf2-sha256${iterations}${salt}${hash}</c> format still verify; mosquitto cannot read them, so those
/// devices need a new secret before they can sign in there.
/// </summary>
public static class SecretHasher
{
    private const string Scheme = "$7$";
    private const string LegacyScheme = "pbkdf2-sha256";
    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA512 is 210,000; verified secrets are cached, so a reconnect storm costs no rehash.</summary>
    public const int Iterations = 210_000;
    /// <summary>mosquitto 2 accepts exactly these sizes in a <c>$7$</c> line and drops the user otherwise.</summary>
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    public static string Hash(string secret, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return $"{Scheme}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether mosquitto can read <paramref name="stored"/> (<c>$7$</c> with the sizes it expects).</summary>
    public static bool IsMosquittoFormat(string stored) =>
        TryParse(stored, out var algorithm, out _, out var salt, out var hash)
        && algorithm == HashAlgorithmName.SHA512 && salt.Length == SaltBytes && hash.Length == HashBytes;

    /// <summary>False for a wrong secret and for a stored value that is not a hash of ours.</summary>
    public static bool Verify(string secret, string stored)
    {
        if (!TryParse(stored, out var algorithm, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, algorithm, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string stored, out HashAlgorithmName algorithm, out int iterations, out byte[] salt, out byte[] hash)
    {
        (algorithm, iterations, salt, hash) = (default, 0, [], []);
        string[] parts;
        if (stored.StartsWith(Scheme, StringComparison.Ordinal))
        {
            // "$7$i$s$h" splits into "", "7", i, s, h.
            parts = stored[Scheme.Length..].Split('$');
            algorithm = HashAlgorithmName.SHA512;
        }
        else
        {
            parts = stored.Split('$');
            if (parts.Length != 4 || parts[0] != LegacyScheme) return false;
            parts = parts[1..];
            algorithm = HashAlgorithmName.SHA256;
        }
        if (parts.Length != 3 || !int.TryParse(parts[0], out iterations) || iterations < 1) return false;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException) { return false; }
        return salt.Length > 0 && hash.Length > 0;
    }

    /// <summary>A new random secret, 32 URL-safe characters (192 bits).</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}

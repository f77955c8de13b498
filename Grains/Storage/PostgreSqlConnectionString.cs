using Npgsql;

namespace CommandCenter.Grains.Storage;

public static class PostgreSqlConnectionString
{
    /// <summary>True when Npgsql parses <paramref name="value"/> and it names a host.</summary>
    public static bool IsValid(string value)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(value).Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

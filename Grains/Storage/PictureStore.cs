using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CommandCenter.Grains.Storage;

/// <summary>What is known of a stored picture without reading its bytes.</summary>
/// <param name="Key">Its name, e.g. <c>evidence/{alert}/{camera}</c> or <c>photos/{id}</c>.</param>
/// <param name="Sha256">The SHA-256 of the bytes, lower-case hex: the evidence digest's value and the HTTP entity tag.</param>
public sealed record PictureInfo(string Key, string ContentType, string Sha256, long Size, DateTimeOffset TakenAt)
{
    /// <summary>The HTTP entity tag of the picture: its SHA-256, quoted.</summary>
    public string ETag => $"\"{Sha256}\"";
}

/// <summary>A stored picture with its bytes.</summary>
public sealed record StoredPicture(PictureInfo Info, byte[] Bytes);

/// <summary>
/// Evidence snapshots and phone photos kept in the record database (table <c>pictures</c>, record migration 10), so
/// every node of a cluster serves the same bytes and they outlive the node that took them. A picture is written once:
/// saving a key again keeps what is there, so a snapshot hashed into an enforcement decision never changes under it.
/// </summary>
public sealed partial class PictureStore(IRecordDatabase database)
{
    public const int MaxKeyLength = 200;
    public const int MaxContentTypeLength = 100;

    /// <summary>
    /// The largest picture kept: far above a phone's photo or a camera's JPEG, far below what one SQLite BLOB or
    /// PostgreSQL <c>bytea</c> can hold, and small enough to read into memory to serve it.
    /// </summary>
    public const long MaxBytes = 64 * 1024 * 1024;

    /// <summary>Keys are ASCII letters, digits and <c>. _ - /</c>: byte order and character order agree, so a prefix is a range.</summary>
    public static bool IsValidKey(string? key) => key is { Length: > 0 and <= MaxKeyLength } && KeyPattern().IsMatch(key);

    /// <summary>
    /// Keeps <paramref name="bytes"/> under <paramref name="key"/>; completes once committed. True when stored now;
    /// false when the key already held a picture, which is kept as it was.
    /// </summary>
    /// <exception cref="ArgumentException">A key, content type or size this store does not take; nothing is written.</exception>
    public async Task<bool> SaveAsync(string key, string contentType, byte[] bytes, DateTimeOffset takenAt)
    {
        if (!IsValidKey(key))
            throw new ArgumentException($"A picture's key is 1-{MaxKeyLength} of A-Z a-z 0-9 . _ - /, not '{key}'.", nameof(key));
        if (string.IsNullOrWhiteSpace(contentType) || contentType.Length > MaxContentTypeLength)
            throw new ArgumentException($"A picture needs a content type of at most {MaxContentTypeLength} characters.", nameof(contentType));
        if (bytes.Length == 0 || bytes.Length > MaxBytes)
            throw new ArgumentException($"A picture is 1-{MaxBytes} bytes, not {bytes.Length}.", nameof(bytes));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var stored = false;
        await database.WriteAsync(connection =>
        {
            using var command = connection.Command("""
                INSERT INTO pictures (id, content_type, sha256, size, taken_at, bytes) VALUES (@id, @type, @sha256, @size, @at, @bytes)
                ON CONFLICT (id) DO NOTHING
                """).With("@id", key).With("@type", contentType).With("@sha256", sha256).With("@size", (long)bytes.Length)
                .With("@at", takenAt.ToUnixTimeMilliseconds()).With("@bytes", bytes);
            // A PostgreSQL batch that is run again after another write failed runs this again: the last run is the committed one.
            stored = command.ExecuteNonQuery() == 1;
        });
        return stored;
    }

    /// <summary>The picture and its bytes, or null when none is kept under <paramref name="key"/>.</summary>
    public Task<StoredPicture?> FindAsync(string key) => !IsValidKey(key) ? Task.FromResult<StoredPicture?>(null) : database.ReadAsync(connection =>
    {
        using var command = connection.Command($"SELECT {InfoColumns}, bytes FROM pictures WHERE id = @id").With("@id", key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredPicture(Info(reader), reader.GetFieldValue<byte[]>(5)) : null;
    });

    /// <summary>
    /// The pictures whose keys start with <paramref name="prefix"/> (e.g. <c>evidence/{alert}/</c>: one alert's
    /// snapshots), in key order, without their bytes.
    /// </summary>
    public Task<List<PictureInfo>> ListAsync(string prefix, int limit = 1000)
    {
        if (!IsValidKey(prefix)) return Task.FromResult(new List<PictureInfo>());
        // Every key with the prefix lies in [prefix, prefix with its last character one higher): an index range in both databases.
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        return database.ReadAsync(connection =>
        {
            using var command = connection.Command($"SELECT {InfoColumns} FROM pictures WHERE id >= @from AND id < @to ORDER BY id LIMIT @limit")
                .With("@from", prefix).With("@to", end).With("@limit", limit);
            using var reader = command.ExecuteReader();
            var found = new List<PictureInfo>();
            while (reader.Read()) found.Add(Info(reader));
            return found;
        });
    }

    private const string InfoColumns = "id, content_type, sha256, size, taken_at";

    private static PictureInfo Info(System.Data.Common.DbDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetString(2),
        Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture),
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture)));

    [GeneratedRegex("^[A-Za-z0-9._/-]+$")]
    private static partial Regex KeyPattern();
}

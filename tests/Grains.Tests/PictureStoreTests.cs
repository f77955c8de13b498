using System.Security.Cryptography;
using CommandCenter.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Grains.Tests;

/// <summary>
/// Pictures in the record database, the same statements against the embedded SQLite file and a real PostgreSQL: kept
/// once under their key, found with their bytes, listed by prefix without them, and still there after the database
/// went down without warning.
/// </summary>
public sealed class PictureStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened) await opened.DisposeAsync();
    }

    public static TheoryData<string> Providers => new() { "sqlite", "postgresql" };

    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, 123, TimeSpan.Zero);

    private async Task<StorageOptions> Options(string provider) => provider == "sqlite"
        ? new StorageOptions { DataDirectory = Directory.CreateTempSubdirectory("pictures-test-").FullName }
        : new StorageOptions { PostgreSql = await postgres.CreateDatabase() };

    private IRecordDatabase Open(string provider, StorageOptions options)
    {
        IRecordDatabase database = provider == "sqlite"
            ? new SqliteStore(Microsoft.Extensions.Options.Options.Create(options), NullLogger<SqliteStore>.Instance)
            : new PostgreSqlRecordDatabase(Microsoft.Extensions.Options.Options.Create(options), NullLogger<PostgreSqlRecordDatabase>.Instance);
        _opened.Add((IAsyncDisposable)database);
        return database;
    }

    private async Task Close(IRecordDatabase database)
    {
        _opened.Remove((IAsyncDisposable)database);
        await ((IAsyncDisposable)database).DisposeAsync();
    }

    /// <summary>A JPEG-looking picture of the given size whose bytes differ by <paramref name="seed"/>.</summary>
    private static byte[] Picture(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        return bytes;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Pictures_are_found_with_their_bytes_and_listed_by_prefix_without_them(string provider)
    {
        var store = new PictureStore(Open(provider, await Options(provider)));
        var big = Picture(3 * 1024 * 1024, 1);
        Assert.True(await store.SaveAsync("evidence/a1/cam-1", "image/jpeg", big, T0));
        Assert.True(await store.SaveAsync("evidence/a1/cam-2", "image/jpeg", Picture(500, 2), T0.AddSeconds(1)));
        // Keys beside the prefix: another alert whose id starts alike, and one just past the prefix's range.
        Assert.True(await store.SaveAsync("evidence/a10/cam-1", "image/jpeg", Picture(10, 3), T0));
        Assert.True(await store.SaveAsync("evidence/a1", "image/jpeg", Picture(10, 4), T0));
        Assert.True(await store.SaveAsync("photos/p-0001", "image/png", Picture(20, 5), T0));

        var found = await store.FindAsync("evidence/a1/cam-1");
        Assert.NotNull(found);
        Assert.Equal(big, found.Bytes);
        Assert.Equal(new PictureInfo("evidence/a1/cam-1", "image/jpeg", Convert.ToHexStringLower(SHA256.HashData(big)), big.Length, T0), found.Info);
        Assert.Equal($"\"{found.Info.Sha256}\"", found.Info.ETag);
        Assert.Null(await store.FindAsync("evidence/a1/cam-3"));
        Assert.Null(await store.FindAsync("../state.db"));

        var listed = await store.ListAsync("evidence/a1/");
        Assert.Equal(["evidence/a1/cam-1", "evidence/a1/cam-2"], listed.Select(p => p.Key));
        Assert.Equal(found.Info, listed[0]);
        Assert.Equal(500, listed[1].Size);
        Assert.Equal(["photos/p-0001"], (await store.ListAsync("photos/")).Select(p => p.Key));
        Assert.Single(await store.ListAsync("evidence/a1/", limit: 1));
        Assert.Empty(await store.ListAsync("evidence/a2/"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Saving_a_key_again_keeps_the_first_picture_and_bad_input_is_refused_before_anything_is_written(string provider)
    {
        var store = new PictureStore(Open(provider, await Options(provider)));
        var first = Picture(1000, 1);
        Assert.True(await store.SaveAsync("photos/p-0001", "image/jpeg", first, T0));
        Assert.False(await store.SaveAsync("photos/p-0001", "image/jpeg", first, T0.AddMinutes(1)));
        // Evidence once hashed into a decision never changes under its key.
        Assert.False(await store.SaveAsync("photos/p-0001", "image/jpeg", Picture(1000, 2), T0.AddMinutes(2)));
        var kept = (await store.FindAsync("photos/p-0001"))!;
        Assert.Equal(first, kept.Bytes);
        Assert.Equal(T0, kept.Info.TakenAt);

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("photos/p 1", "image/jpeg", first, T0));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("photos/p-0002", "", first, T0));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("photos/p-0002", "image/jpeg", [], T0));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("photos/p-0002", "image/jpeg", new byte[PictureStore.MaxBytes + 1], T0));
        Assert.Single(await store.ListAsync("photos/"));
    }

    [Fact]
    public async Task A_picture_acknowledged_by_SQLite_is_in_the_file_when_it_is_opened_again()
    {
        var options = await Options("sqlite");
        var picture = Picture(200_000, 7);
        var database = Open("sqlite", options);
        Assert.True(await new PictureStore(database).SaveAsync("evidence/a1/cam-1", "image/jpeg", picture, T0));
        await Close(database);
        SqliteConnection.ClearAllPools();

        var reopened = new PictureStore(Open("sqlite", options));
        Assert.Equal(picture, (await reopened.FindAsync("evidence/a1/cam-1"))!.Bytes);
        Assert.Equal(["evidence/a1/cam-1"], (await reopened.ListAsync("evidence/")).Select(p => p.Key));
    }

    [Fact]
    public async Task A_picture_acknowledged_by_PostgreSQL_outlives_an_immediate_stop_of_the_server()
    {
        // A server of this test's own: stopping the class's would break the tests beside it.
        await using var server = new PostgresServer();
        await server.InitializeAsync();
        var options = new StorageOptions { PostgreSql = await server.CreateDatabase() };
        var picture = Picture(2 * 1024 * 1024, 8);
        var database = Open("postgresql", options);
        Assert.True(await new PictureStore(database).SaveAsync("photos/p-0001", "image/webp", picture, T0));

        // As a crash: no checkpoint, so the picture is only in the write-ahead log the server replays at start.
        await server.Stop();
        await Close(database);
        NpgsqlConnection.ClearAllPools();
        await server.Start();

        var reopened = new PictureStore(Open("postgresql", options));
        var found = (await reopened.FindAsync("photos/p-0001"))!;
        Assert.Equal(picture, found.Bytes);
        Assert.Equal("image/webp", found.Info.ContentType);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(picture)), found.Info.Sha256);
    }
}

using System.Net;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Web.Tests;

/// <summary>
/// A data directory from before the pictures moved into the record database: its snapshot and photo files are
/// imported at start-up, served from the database afterwards, and their folders renamed so they are not read again.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class PictureImportTests
{
    private static byte[] Jpeg(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        return bytes;
    }

    [Fact]
    public async Task Snapshot_and_photo_files_of_an_older_data_directory_are_imported_once_and_served_from_the_database()
    {
        string dataDirectory;
        await using (var first = new CommandCenterProcess())
        {
            await first.Start();
            dataDirectory = first.DataDirectory;
            await first.Stop();
        }

        // The layout the files had: evidence/{alert}/{camera}.jpg, photos/{id}.jpg with its record in phone_photos.
        var snapshot = Jpeg(50_000, 1);
        var photo = Jpeg(80_000, 2);
        Directory.CreateDirectory(Path.Combine(dataDirectory, "evidence", "old-alert-1"));
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, "evidence", "old-alert-1", "cam-0001.jpg"), snapshot);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "evidence", "old-alert-1", "cam-0002.jpg"), "not a picture");
        Directory.CreateDirectory(Path.Combine(dataDirectory, "photos"));
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, "photos", "old-photo-0001.jpg"), photo);
        await using (var records = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "state.db")};Pooling=False"))
        {
            records.Open();
            using var insert = records.CreateCommand();
            insert.CommandText = """
                INSERT INTO phone_photos (id, of_record, by_user, content_type, at)
                VALUES ('old-photo-0001', 'old-alert-1', 'inspector:inspector', 'image/jpeg', '2025-03-03T08:00:00.0000000+00:00')
                """;
            insert.ExecuteNonQuery();
        }

        await using var second = new CommandCenterProcess(dataDirectory);
        await second.Start();
        using var viewer = new FormClient(second.BaseAddress);
        Assert.True(FormClient.SignedIn(await viewer.SignIn("operator", "Operator#2026")));
        using (var served = await viewer.Get("/evidence/old-alert-1/cam-0001.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(snapshot, await served.Content.ReadAsByteArrayAsync());
        }
        using (var served = await viewer.Get("/photos/old-photo-0001"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(photo, await served.Content.ReadAsByteArrayAsync());
            Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        }
        // The file that is no picture is not imported, and said so; every file stays in the renamed folder.
        using (var bad = await viewer.Get("/evidence/old-alert-1/cam-0002.jpg")) Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Contains("cam-0002.jpg: not a picture of type image/jpeg", second.Log);
        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "evidence")));
        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "photos")));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "evidence.imported", "old-alert-1", "cam-0001.jpg")));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "photos.imported", "old-photo-0001.jpg")));
    }
}

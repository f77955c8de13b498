using System.Text;
using System.Text.Json.Nodes;
using CommandCenter.Grains.Devices;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Grains.Tests;

/// <summary>Camera credentials at rest: the grain state on disk holds no stream URL credentials.</summary>
public sealed class CameraUrlStorageTests
{
    private const string Password = "pa55word-at-rest";
    private const string Token = "t0ken-at-rest";
    private static readonly Uri Url = new($"rtsp://viewer:{Password}@127.0.0.1:8554/cam?channel=1&token={Token}");

    private static Task Register(GrainCluster cluster, string id) =>
        cluster.Grains.GetGrain<ICameraGrain>(id).Register(new CameraRegistration(Url, new GeoPoint(36.545, 104.138), new CameraView(0, 60, 300), id));

    [Fact]
    public async Task A_registered_stream_url_is_encrypted_on_disk_and_handed_out_whole()
    {
        await using var cluster = await GrainCluster.Start();
        await Register(cluster, "cam-at-rest");

        Assert.Equal(Url, await cluster.Grains.GetGrain<ICameraGrain>("cam-at-rest").GetStreamUrl());
        var disk = DatabaseText(cluster.DataDirectory);
        Assert.Contains("cam-at-rest", disk);
        Assert.DoesNotContain(Password, disk);
        Assert.DoesNotContain(Token, disk);
    }

    [Fact]
    public async Task A_plain_stream_url_of_older_state_still_works_and_is_encrypted_when_read()
    {
        var first = await GrainCluster.Start();
        await Register(first, "cam-older");
        await first.DisposeAsync();
        // Rewrite the stored state the way it was written before URLs were encrypted.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(first.DataDirectory, "state.db")};Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT data FROM grain_state WHERE grain_key = 'cam-older'";
            var state = JsonNode.Parse((string)read.ExecuteScalar()!)!.AsObject();
            state["camera"]!["streamUrl"] = Url.OriginalString;
            state.Remove("protectedStreamUrl");
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE grain_state SET data = $data WHERE grain_key = 'cam-older'";
            write.Parameters.AddWithValue("$data", state.ToJsonString());
            Assert.Equal(1, write.ExecuteNonQuery());
        }
        Assert.Contains(Password, DatabaseText(first.DataDirectory));

        await using var second = await GrainCluster.Start(first.DataDirectory);
        Assert.Equal(Url, await second.Grains.GetGrain<ICameraGrain>("cam-older").GetStreamUrl());
        // The stored state is rewritten encrypted (old pages may linger in the file until SQLite reuses them).
        Assert.DoesNotContain(Password, StoredState(second.DataDirectory, "cam-older"));
    }

    private static string StoredState(string dataDirectory, string key)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "state.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT data FROM grain_state WHERE grain_key = $key";
        read.Parameters.AddWithValue("$key", key);
        return (string)read.ExecuteScalar()!;
    }

    /// <summary>The database files as raw bytes (Latin-1 keeps every byte), write-ahead log included.</summary>
    private static string DatabaseText(string dataDirectory) => string.Concat(Directory.GetFiles(dataDirectory, "state.db*").Select(f =>
    {
        using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Encoding.Latin1.GetString(copy.ToArray());
    }));
}

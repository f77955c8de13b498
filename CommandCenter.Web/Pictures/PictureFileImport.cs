using System.Collections.Concurrent;
using CommandCenter.Grains.Storage;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.Web.Phone;
using CommandCenter.Web.Video;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Pictures;

/// <summary>How a start-up import of picture files went.</summary>
public sealed record PictureImportResult(int Imported, int AlreadyKept, IReadOnlyList<string> Skipped);

/// <summary>
/// Data directories from before the pictures moved into the record database kept them as files: evidence snapshots
/// under <c>Evidence:Directory</c> (<c>{alert}/{camera}.jpg</c>) and phone photos under <c>Phone:PhotoDirectory</c>
/// (<c>{id}.jpg|png|webp</c>). At start-up, before the node serves, each such folder is imported into the
/// <see cref="PictureStore"/> and then renamed to <c>{folder}.imported</c>: the files stay for the operator to remove,
/// and the next start does not read them again. A file that is not a picture of its kind is skipped and named in the
/// log; a database that cannot be written stops the start, and the folder is imported again at the next one.
/// </summary>
public sealed class PictureFileImport(
    PictureStore pictures, IOptions<StorageOptions> storage, IOptions<EvidenceOptions> evidence, IOptions<PhoneOptions> phone,
    ILogger<PictureFileImport> logger)
{
    public const string ImportedSuffix = ".imported";
    /// <summary>Pictures read and saved at once: enough for the record writer to commit several in one transaction.</summary>
    private const int InFlight = 8;

    private string DataDirectory => Path.GetFullPath(storage.Value.DataDirectory);

    public async Task<IReadOnlyList<PictureImportResult>> RunAsync(CancellationToken cancellation = default)
    {
        var results = new List<PictureImportResult>();
        var snapshots = Path.Combine(DataDirectory, evidence.Value.Directory);
        if (Directory.Exists(snapshots)) results.Add(await ImportFolder(snapshots, EvidenceFiles(snapshots), cancellation));
        var photos = Path.Combine(DataDirectory, phone.Value.PhotoDirectory);
        if (Directory.Exists(photos)) results.Add(await ImportFolder(photos, PhotoFiles(photos), cancellation));
        return results;
    }

    /// <summary>A file of the old layout and what it becomes: its key, and the content type it must have (null: any picture type).</summary>
    private sealed record Candidate(string Path, string? Key, string? ContentType, long MaxBytes);

    private IEnumerable<Candidate> EvidenceFiles(string root)
    {
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var alertId = Path.GetFileName(folder);
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var camera = Path.GetFileNameWithoutExtension(file);
                var valid = CameraIds.IsValid(alertId) && CameraIds.IsValid(camera) && Path.GetExtension(file) == ".jpg";
                yield return new Candidate(file, valid ? EvidenceCollector.KeyOf(alertId, camera) : null, "image/jpeg", evidence.Value.MaxSnapshotBytes);
            }
        }
    }

    private IEnumerable<Candidate> PhotoFiles(string root)
    {
        foreach (var file in Directory.EnumerateFiles(root))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var valid = PhoneEndpoints.ClientIds.IsValid(id) && Path.GetExtension(file) is ".jpg" or ".png" or ".webp";
            yield return new Candidate(file, valid ? PhoneRecords.KeyOf(id) : null, null, phone.Value.MaxPhotoBytes);
        }
    }

    private async Task<PictureImportResult> ImportFolder(string folder, IEnumerable<Candidate> files, CancellationToken cancellation)
    {
        var started = TimeProvider.System.GetTimestamp();
        int imported = 0, kept = 0;
        var skipped = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellation }, async (file, token) =>
        {
            var relative = Path.GetRelativePath(folder, file.Path);
            if (file.Key is null) { skipped.Enqueue($"{relative}: not a name of this folder's pictures"); return; }
            byte[] bytes;
            DateTimeOffset written;
            try
            {
                if (new FileInfo(file.Path).Length is var length && (length == 0 || length > Math.Min(file.MaxBytes, PictureStore.MaxBytes)))
                {
                    skipped.Enqueue($"{relative}: {length} bytes");
                    return;
                }
                bytes = await File.ReadAllBytesAsync(file.Path, token);
                written = File.GetLastWriteTimeUtc(file.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Enqueue($"{relative}: {e.Message}");
                return;
            }
            var type = PhotoTypes.Recognise(bytes);
            if (type is null || (file.ContentType is { } wanted && type != wanted))
            {
                skipped.Enqueue(file.ContentType is { } expected ? $"{relative}: not a picture of type {expected}" : $"{relative}: not a JPEG, PNG or WebP picture");
                return;
            }
            // A database error is not skipped: it ends the import and the start, and the folder stays for the next one.
            if (await pictures.SaveAsync(file.Key, type, bytes, written)) Interlocked.Increment(ref imported);
            else Interlocked.Increment(ref kept);
        });

        var target = folder + ImportedSuffix;
        if (Directory.Exists(target) || File.Exists(target)) target = $"{folder}{ImportedSuffix}-{DateTime.UtcNow:yyyyMMddHHmmss}";
        Directory.Move(folder, target);
        logger.LogInformation("Imported {Imported} picture files of {Folder} into the record database ({Kept} were there already) in {Elapsed:0.0} s; the files are kept in {Target}",
            imported, folder, kept, TimeProvider.System.GetElapsedTime(started).TotalSeconds, target);
        if (!skipped.IsEmpty)
            logger.LogWarning("{Count} files of {Folder} were not imported (they stay in {Target}): {Files}",
                skipped.Count, folder, target, string.Join("; ", skipped.Take(20)));
        return new PictureImportResult(imported, kept, [.. skipped]);
    }
}

public static class PictureExtensions
{
    public static IServiceCollection AddPictures(this IServiceCollection services) => services.AddSingleton<PictureFileImport>();

    /// <summary>Imports picture files of an older data directory before the node serves (see <see cref="PictureFileImport"/>).</summary>
    public static Task ImportPictureFiles(this IServiceProvider services) => services.GetRequiredService<PictureFileImport>().RunAsync();
}

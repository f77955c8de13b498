using CommandCenter.Grains.Storage;
using System.Globalization;

namespace CommandCenter.Web.Phone;

/// <summary>A photo taken on an inspector's phone, kept as evidence of an alert (a problem report) or an incident (a task done).</summary>
public sealed record Photo(string Id, string Of, string By, string ContentType, DateTimeOffset At)
{
    public string Url => $"/photos/{Id}";
}

/// <summary>
/// A problem reported from a phone, by the id the phone gave it, the alert it raised and the case it opened (none when
/// the inspector chose no category, and for reports made before cases existed).
/// </summary>
public sealed record ProblemReport(string Id, string By, string AlertId, string? PhotoId, DateTimeOffset At, string? CaseId = null);

/// <summary>
/// The durable records of the phone page in the record database (embedded or PostgreSQL): photos (their bytes in the
/// <see cref="PictureStore"/>, so every node serves them) and the problem reports already applied, so a phone
/// re-sending its queue after a lost answer does not report twice. The tables are record migrations 7, 8 and 10.
/// </summary>
public sealed class PhoneRecords(IRecordDatabase store, PictureStore pictures)
{
    /// <summary>The key of a photo's bytes in the <see cref="PictureStore"/>.</summary>
    public static string KeyOf(string photoId) => $"photos/{photoId}";

    /// <summary>The photo's bytes, or null when they are not kept.</summary>
    public Task<StoredPicture?> PictureOfAsync(Photo photo) => pictures.FindAsync(KeyOf(photo.Id));

    /// <summary>
    /// Commits the picture, then its record: a crash in between leaves a picture without a record, which the phone's
    /// re-send finds kept; never a record without its picture.
    /// </summary>
    public async Task SavePhoto(Photo photo, byte[] bytes)
    {
        await pictures.SaveAsync(KeyOf(photo.Id), photo.ContentType, bytes, photo.At);
        await store.WriteAsync(connection =>
        {
            using var command = connection.Command("""
                INSERT INTO phone_photos (id, of_record, by_user, content_type, at) VALUES (@id, @of, @by, @type, @at)
                ON CONFLICT (id) DO NOTHING
                """).With("@id", photo.Id).With("@of", photo.Of).With("@by", photo.By).With("@type", photo.ContentType).With("@at", Time(photo.At));
            command.ExecuteNonQuery();
        });
    }

    public async Task<Photo?> FindPhotoAsync(string id) =>
        (await Photos("SELECT id, of_record, by_user, content_type, at FROM phone_photos WHERE id = @p", id)).FirstOrDefault();

    /// <summary>The photos kept for an alert or an incident, oldest first.</summary>
    public Task<List<Photo>> PhotosOfAsync(string record) =>
        Photos("SELECT id, of_record, by_user, content_type, at FROM phone_photos WHERE of_record = @p ORDER BY at, id", record);

    public Task SaveReport(ProblemReport report) => store.WriteAsync(connection =>
    {
        using var command = connection.Command("""
            INSERT INTO phone_reports (id, by_user, alert_id, photo_id, at, case_id) VALUES (@id, @by, @alert, @photo, @at, @case)
            ON CONFLICT (id) DO NOTHING
            """).With("@id", report.Id).With("@by", report.By).With("@alert", report.AlertId).With("@photo", report.PhotoId)
            .With("@at", Time(report.At)).With("@case", report.CaseId);
        command.ExecuteNonQuery();
    });

    public Task<ProblemReport?> FindReportAsync(string id) => store.ReadAsync(connection =>
    {
        using var command = connection.Command("SELECT id, by_user, alert_id, photo_id, at, case_id FROM phone_reports WHERE id = @p").With("@p", id);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ProblemReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture), reader.IsDBNull(5) ? null : reader.GetString(5))
            : null;
    });

    private Task<List<Photo>> Photos(string sql, string parameter) => store.ReadAsync(connection =>
    {
        using var command = connection.Command(sql).With("@p", parameter);
        using var reader = command.ExecuteReader();
        var photos = new List<Photo>();
        while (reader.Read())
            photos.Add(new Photo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture)));
        return photos;
    });

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>The picture formats accepted, recognised by their first bytes: what the phone claims is not trusted.</summary>
public static class PhotoTypes
{
    public static string? Recognise(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        _ => null,
    };

}

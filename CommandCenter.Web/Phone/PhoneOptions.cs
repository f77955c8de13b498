namespace CommandCenter.Web.Phone;

public sealed class PhoneOptions
{
    public const string Section = "Phone";

    /// <summary>
    /// Where photos from inspectors' phones were kept as files (inside the data directory) before they were kept in the
    /// record database: imported from there once at start-up (docs/storage.md). Default "photos".
    /// </summary>
    public string PhotoDirectory { get; set; } = "photos";
    /// <summary>The largest photo accepted, in bytes. Default 10 MiB: a phone camera's JPEG is 2–6 MB.</summary>
    public long MaxPhotoBytes { get; set; } = 10 * 1024 * 1024;

    public bool IsValid() => !string.IsNullOrWhiteSpace(PhotoDirectory) && MaxPhotoBytes is > 0 and <= Grains.Storage.PictureStore.MaxBytes;
}

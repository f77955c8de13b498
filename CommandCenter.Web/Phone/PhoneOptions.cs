namespace CommandCenter.Web.Phone;

public sealed class PhoneOptions
{
    public const string Section = "Phone";

    /// <summary>Photos from inspectors' phones, inside the data directory. Default "photos".</summary>
    public string PhotoDirectory { get; set; } = "photos";
    /// <summary>The largest photo accepted, in bytes. Default 10 MiB: a phone camera's JPEG is 2–6 MB.</summary>
    public long MaxPhotoBytes { get; set; } = 10 * 1024 * 1024;

    public bool IsValid() => !string.IsNullOrWhiteSpace(PhotoDirectory) && MaxPhotoBytes > 0;
}

using CommandCenter.Grains.Storage;
using Microsoft.Net.Http.Headers;

namespace CommandCenter.Web.Pictures;

/// <summary>How a stored picture (an evidence snapshot, a phone photo) is answered over HTTP.</summary>
public static class PictureResults
{
    /// <summary>
    /// The picture's bytes with its content type and its SHA-256 as the entity tag, so a browser that has it already
    /// is answered 304 (If-None-Match). <c>Cache-Control: private</c>: evidence is behind the sign-in, never for a
    /// shared cache. A picture is never rewritten under its key, so what a browser keeps stays right.
    /// </summary>
    public static IResult Serve(HttpContext http, StoredPicture? picture)
    {
        if (picture is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "private";
        return Results.Bytes(picture.Bytes, picture.Info.ContentType, lastModified: picture.Info.TakenAt,
            entityTag: new EntityTagHeaderValue(picture.Info.ETag));
    }
}

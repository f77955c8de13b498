using System.Globalization;
using CommandCenter.Web.Api;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Open311;

/// <summary>
/// Open311 GeoReport v2 for citizen apps (docs/open311.md), at <see cref="Prefix"/>. The service list and the requests
/// are public to read, as the spec has them; posting a request needs an <c>api_key</c> holding the
/// <see cref="ApiScope.Report"/> scope. Every route answers <c>.json</c> or <c>.xml</c>; errors are the spec's array.
/// A posted request is a case of the city-management workflow: its <c>service_request_id</c> is the case id.
/// </summary>
public static class Open311Endpoints
{
    public const string Prefix = "/open311/v2";
    /// <summary>A form far larger than its fields allow is cut off while it arrives.</summary>
    public const long MaxPostBytes = 64 * 1024;

    public static IServiceCollection AddOpen311(this IServiceCollection services)
    {
        services.AddOptions<Open311Options>().BindConfiguration(Open311Options.Section)
            .Validate(o => o.IsValid(), $"{Open311Options.Section}: DefaultDays and MaxDays must be positive, DefaultDays at most MaxDays, MaxRequests 1..10000")
            .ValidateOnStart();
        services.AddSingleton<Open311Requests>();
        return services;
    }

    public static void MapOpen311(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup(Prefix);

        v2.MapGet("/services.{format}", (string format, Open311Requests requests) =>
            Open311Document.IsFormat(format) ? requests.Services().ToResult(format) : UnknownFormat());

        v2.MapGet("/services/{code}.{format}", (string code, string format, Open311Requests requests) =>
            !Open311Document.IsFormat(format) ? UnknownFormat()
            : requests.Definition(code) is { } definition ? definition.ToResult(format)
            : Open311Errors.Of(404, $"There is no service '{code}'.", format));

        v2.MapPost("/requests.{format}", async (string format, HttpContext http, Open311Requests requests, IOptionsMonitor<ApiOptions> keys) =>
        {
            if (!Open311Document.IsFormat(format)) return UnknownFormat();
            if (!http.Request.HasFormContentType)
                return requests.Refuse(400, "Send the request as application/x-www-form-urlencoded (or multipart/form-data).", format);
            IFormCollection form;
            try { form = await http.Request.ReadFormAsync(); }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                return requests.Refuse(400, $"The form could not be read: {e.Message}", format);
            }
            var caller = keys.CurrentValue.CallerOf(form["api_key"].ToString());
            if (caller is null) return requests.Refuse(403, "A valid api_key is required to post a request.", format);
            if (!keys.CurrentValue.ScopesOf(caller).Contains(ApiScope.Report))
                return requests.Refuse(403, $"The api_key of '{caller}' lacks the 'report' scope (set Api:Scopes:{caller}).", format);
            if (Open311Post.Read(form, out var problem) is not { } post) return requests.Refuse(400, problem!, format);
            var (created, status, why) = await requests.Post(post, caller);
            return created?.ToResult(format) ?? requests.Refuse(status, why!, format);
        }).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxPostBytes));

        v2.MapGet("/requests.{format}", async (string format, HttpContext http, Open311Requests requests) =>
        {
            if (!Open311Document.IsFormat(format)) return UnknownFormat();
            if (!Open311Query.TryRead(http.Request.Query, requests.Options, requests.Now, out var query, out var problem))
                return Open311Errors.Of(400, problem!, format);
            return (await requests.List(query!)).ToResult(format);
        });

        v2.MapGet("/requests/{id}.{format}", async (string id, string format, Open311Requests requests) =>
            !Open311Document.IsFormat(format) ? UnknownFormat()
            : await requests.One(id) is { } found ? found.ToResult(format)
            : Open311Errors.Of(404, $"There is no service request '{id}'.", format));
    }

    private static IResult UnknownFormat() => Open311Errors.Of(404, "The format must be .json or .xml.");
}

public sealed class Open311Options
{
    public const string Section = "Open311";

    /// <summary>How far back <c>GET requests</c> looks without a <c>start_date</c>; default 90 days, as the spec says.</summary>
    public int DefaultDays { get; set; } = 90;
    /// <summary>The longest span between <c>start_date</c> and <c>end_date</c> a query may ask for; default 90 days.</summary>
    public int MaxDays { get; set; } = 90;
    /// <summary>Most requests one <c>GET requests</c> returns, newest first; default 1000, as the spec says.</summary>
    public int MaxRequests { get; set; } = 1000;

    public bool IsValid() => DefaultDays > 0 && MaxDays >= DefaultDays && MaxRequests is > 0 and <= 10_000;
}

/// <summary>The filters of <c>GET requests</c>: the ids (when given the other filters are ignored, as the spec says), or a span, a service and a status.</summary>
public sealed record Open311Query(IReadOnlyList<string>? Ids, string? ServiceCode, DateTimeOffset Start, DateTimeOffset End, bool? Open, int Limit)
{
    public const int MaxIds = 1000;

    public static bool TryRead(IQueryCollection query, Open311Options options, DateTimeOffset now, out Open311Query? read, out string? problem)
    {
        read = null;
        problem = null;
        var idsText = query["service_request_id"].ToString();
        if (idsText.Length > 0)
        {
            var ids = idsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length is 0 or > MaxIds || ids.Any(i => i.Length > 64))
            {
                problem = $"service_request_id must list 1-{MaxIds} ids separated by commas.";
                return false;
            }
            read = new Open311Query(ids.Distinct().ToList(), null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, null, MaxIds);
            return true;
        }
        if (!TryDate(query["end_date"].ToString(), out var end) || !TryDate(query["start_date"].ToString(), out var start))
        {
            problem = "start_date and end_date must be W3C date-times with an offset, e.g. 2026-12-01T08:00:00+08:00.";
            return false;
        }
        var to = end ?? now;
        var from = start ?? to - TimeSpan.FromDays(options.DefaultDays);
        if (from > to)
        {
            problem = "start_date must be before end_date.";
            return false;
        }
        if (to - from > TimeSpan.FromDays(options.MaxDays))
        {
            problem = $"start_date and end_date may be at most {options.MaxDays} days apart.";
            return false;
        }
        bool? open;
        switch (query["status"].ToString())
        {
            case "": open = null; break;
            case "open": open = true; break;
            case "closed": open = false; break;
            default:
                problem = "status must be open or closed.";
                return false;
        }
        var service = query["service_code"].ToString();
        read = new Open311Query(null, service.Length == 0 ? null : service, from, to, open, options.MaxRequests);
        return true;
    }

    private static bool TryDate(string text, out DateTimeOffset? at)
    {
        at = null;
        if (text.Length == 0) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        at = parsed;
        return true;
    }
}

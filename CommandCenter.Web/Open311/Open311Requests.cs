using System.Diagnostics.Metrics;
using System.Text.Json;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Open311;

/// <summary>
/// The GeoReport v2 view of the case workflow: categories as services, cases as service requests. Posting goes
/// through <see cref="CaseIntake"/> like every other source; reading lists the <c>cases</c> table directly, by the
/// index on (category, reported_at) this class adds, or the store's index on reported_at.
/// </summary>
public sealed class Open311Requests
{
    private readonly IRecordDatabase _store;
    private readonly CaseIntake _intake;
    private readonly CaseCategories _categories;
    private readonly Departments _departments;
    private readonly TimeProvider _clock;
    private readonly ILogger<Open311Requests> _logger;

    private readonly Counter<long> _refused;

    public Open311Requests(IRecordDatabase store, CaseStore cases, CaseIntake intake, CaseCategories categories, Departments departments,
        IOptions<Open311Options> options, TimeProvider clock, ILogger<Open311Requests> logger, IMeterFactory meters)
    {
        _refused = meters.Create("CommandCenter.Web").CreateCounter<long>("open311.posts.refused");
        _ = cases; // its schema creates the table the index below is on
        (_store, _intake, _categories, _departments, _clock, _logger) = (store, intake, categories, departments, clock, logger);
        Options = options.Value;
    }

    public Open311Options Options { get; }

    /// <summary>Counts a refused post (<c>open311.posts.refused</c>) and answers it with the spec's error array.</summary>
    public IResult Refuse(int status, string why, string format)
    {
        _refused.Add(1);
        _logger.LogDebug("Open311 post refused ({Status}): {Why}", status, why);
        return Open311Errors.Of(status, why, format);
    }
    public DateTimeOffset Now => _clock.GetUtcNow();

    public Open311Document Services() => new("services", "service", _categories.All.Select(c => (IReadOnlyList<KeyValuePair<string, object?>>)
    [
        new("service_code", c.Code),
        new("service_name", c.Label),
        new("description", $"{c.Label} — {Group(c)}; 责任单位 department: {_departments.Find(c.Department)?.Label ?? c.Department}"),
        new("metadata", false),
        new("type", "realtime"),
        new("keywords", new[] { c.NameZh, c.NameEn, c.Type.ToString().ToLowerInvariant() }),
        new("group", Group(c)),
    ]).ToList());

    public Open311Document? Definition(string code) => _categories.Find(code) is { } category
        ? new Open311Document("service_definition", "service_definition", [[new("service_code", category.Code), new("attributes", Array.Empty<object>())]]) { Single = true }
        : null;

    private static string Group(CaseCategory c) => c.Type == CaseType.Component ? $"部件 component {c.Major}" : $"事件 event {c.Major}";

    /// <summary>Makes the post a Reported case; the answer document, or the status and why it was refused (nothing created).</summary>
    public async Task<(Open311Document? Answer, int Status, string? Problem)> Post(Open311Post post, string caller)
    {
        if (_categories.Find(post.ServiceCode) is null) return (null, 404, $"There is no service '{post.ServiceCode}'.");
        var origin = $"open311 {caller}" + (post.DeviceId is null ? "" : $" device {post.DeviceId}") + (post.AccountId is null ? "" : $" account {post.AccountId}");
        if (origin.Length > CaseIntake.MaxReporterField) origin = origin[..CaseIntake.MaxReporterField];
        var report = new NewCase(CaseSource.Open311, post.ServiceCode,
            // A request may carry only a photo; the case still needs words.
            post.Description ?? "(见图片 see the photo)",
            post.Address, post.Lat is { } lat && post.Lon is { } lon ? new GeoPoint(lat, lon) : null,
            post.Name is null && post.Phone is null && post.Email is null ? null : new CaseReporter(post.Name, post.Phone, post.Email),
            post.MediaUrl is null ? null : [post.MediaUrl], origin);
        var result = await _intake.ReportAsync(report, $"open311:{caller}");
        if (!result.Ok) return (null, 400, result.Detail);
        var id = result.Case!.Id;
        _logger.LogInformation("Open311 request from {Caller} taken as case {Case}", caller, id);
        return (new Open311Document("service_requests", "request",
        [[
            new("service_request_id", id),
            new("service_notice", $"已受理，案件编号 {id} Received as case {id}."),
            new("account_id", post.AccountId),
        ]]), 200, null);
    }

    public async Task<Open311Document?> One(string id)
    {
        if (id.Length > 64) return null;
        var found = await Read("SELECT data FROM cases WHERE id = @id", c => c.With("@id", id));
        return found.Count == 0 ? null : Requests(found);
    }

    public async Task<Open311Document> List(Open311Query query)
    {
        if (query.Ids is { } ids)
        {
            var names = ids.Select((_, i) => $"@id{i}").ToList();
            var byId = await Read($"SELECT data FROM cases WHERE id IN ({string.Join(',', names)}) ORDER BY reported_at DESC, id DESC",
                c => { for (var i = 0; i < ids.Count; i++) c.With(names[i], ids[i]); });
            return Requests(byId);
        }
        var where = new List<string> { "reported_at >= @from", "reported_at <= @to" };
        if (query.ServiceCode is not null) where.Add("category = @category");
        if (query.Open is { } open) where.Add(open ? "state NOT IN ('Cancelled', 'Closed')" : "state IN ('Cancelled', 'Closed')");
        var cases = await Read($"SELECT data FROM cases WHERE {string.Join(" AND ", where)} ORDER BY reported_at DESC, id DESC LIMIT @limit", c =>
        {
            c.With("@from", query.Start.ToUnixTimeMilliseconds()).With("@to", query.End.ToUnixTimeMilliseconds());
            if (query.ServiceCode is not null) c.With("@category", query.ServiceCode);
            c.With("@limit", query.Limit);
        });
        return Requests(cases);
    }

    /// <summary>Open or closed, as the spec has only these two: a cancelled case is closed too.</summary>
    public static string StatusOf(CaseState state) => CaseSteps.IsOpen(state) ? "open" : "closed";

    public static string StateNote(CaseState state) => state switch
    {
        CaseState.Reported => "已受理 Reported, waiting to be filed",
        CaseState.Filed => "已立案 Filed, waiting to be dispatched",
        CaseState.Dispatched => "已派遣 Dispatched to the department",
        CaseState.Handled => "已处理 Handled, waiting for the check on site",
        CaseState.Returned => "已退回 Returned to the department for rework",
        CaseState.Closed => "已结案 Closed",
        _ => "已注销 Cancelled as not a valid case",
    };

    private Open311Document Requests(IEnumerable<Case> cases) => new("service_requests", "request", cases.Select(c =>
    {
        var category = _categories.Find(c.Category);
        // China time, as the city reads it; the offset keeps it a W3C date-time.
        static DateTimeOffset? City(DateTimeOffset? at) => at?.ToOffset(CaseStore.CityOffset);
        return (IReadOnlyList<KeyValuePair<string, object?>>)
        [
            new("service_request_id", c.Id),
            new("status", StatusOf(c.State)),
            new("status_notes", StateNote(c.State)),
            new("service_name", category?.Label ?? c.Category),
            new("service_code", c.Category),
            new("description", c.Description),
            new("agency_responsible", _departments.Find(c.Department)?.Label ?? c.Department),
            new("service_notice", null),
            new("requested_datetime", City(c.ReportedAt)),
            new("updated_datetime", City(c.UpdatedAt)),
            new("expected_datetime", City(c.DueAt)),
            new("address", c.Address),
            new("address_id", null),
            new("zipcode", null),
            new("lat", c.Position?.Lat),
            new("long", c.Position?.Lon),
            new("media_url", c.Media.FirstOrDefault()),
        ];
    }).ToList());

    private Task<List<Case>> Read(string sql, Action<System.Data.Common.DbCommand> bind) => _store.ReadAsync(connection =>
    {
        using var command = connection.Command(sql);
        bind(command);
        using var reader = command.ExecuteReader();
        var cases = new List<Case>();
        while (reader.Read()) cases.Add(JsonSerializer.Deserialize<Case>(reader.GetString(0), SqliteGrainStorage.Json)!);
        return cases;
    });
}

using System.Security.Claims;
using CommandCenter.Grains.Cases;
using CommandCenter.Web.Accounts;

namespace CommandCenter.Web.Cases;

/// <summary>The steps a signed-in user may take on a case: operators run the workflow, inspectors report and verify,
/// a department's users report back on their department's cases.</summary>
public enum CaseAction { File, Cancel, Dispatch, Handle, Verify, Close, Evaluate, Supervise, Reassign }

/// <summary>Who may do what on the case pages and the phone page (the API goes by its key's scope instead).</summary>
public sealed class CaseDesk(IGrainFactory grains, Departments departments)
{
    public const string Viewers = $"{Roles.Admin},{Roles.Operator},{Roles.Inspector},{Roles.Department}";
    public const string Reporters = $"{Roles.Admin},{Roles.Operator},{Roles.Inspector}";

    public CaseActor ActorOf(ClaimsPrincipal user) => new(user.Identity?.Name ?? "unknown",
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Operator) ? null : departments.OfUser(user.Identity?.Name));

    public bool May(ClaimsPrincipal user, CaseAction action, Case @case)
    {
        var operating = user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Operator);
        return action switch
        {
            CaseAction.Handle => operating || (user.IsInRole(Roles.Department)
                && string.Equals(departments.OfUser(user.Identity?.Name), @case.Department, StringComparison.OrdinalIgnoreCase)),
            CaseAction.Verify => user.IsInRole(Roles.Inspector) || operating,
            _ => operating,
        };
    }

    /// <summary>The actions the case's state allows and the user may take, in the workflow's order.</summary>
    public IEnumerable<CaseAction> ActionsFor(ClaimsPrincipal user, Case @case) => Allowed(@case).Where(a => May(user, a, @case));

    public static IEnumerable<CaseAction> Allowed(Case @case)
    {
        switch (@case.State)
        {
            case CaseState.Reported: yield return CaseAction.File; yield return CaseAction.Cancel; break;
            case CaseState.Filed: yield return CaseAction.Dispatch; break;
            case CaseState.Dispatched: yield return CaseAction.Handle; yield return CaseAction.Reassign; break;
            case CaseState.Returned: yield return CaseAction.Handle; yield return CaseAction.Reassign; break;
            case CaseState.Handled: yield return CaseAction.Verify; yield return CaseAction.Close; break;
            case CaseState.Closed when @case.Evaluation is null: yield return CaseAction.Evaluate; break;
        }
        if (CaseSteps.IsOpen(@case.State)) yield return CaseAction.Supervise;
    }

    /// <summary>Runs one step as <paramref name="user"/>; a step the user may not take is refused as Forbidden.</summary>
    public async Task<CaseResult> Act(ClaimsPrincipal user, string id, CaseAction action, CaseForm form)
    {
        var grain = grains.GetGrain<ICaseGrain>(id);
        if (await grain.Get() is not { } @case) return new(null, CaseError.NotFound, $"no case {id}");
        if (!May(user, action, @case)) return new(@case, CaseError.Forbidden, "你无权执行此操作 You may not take this step");
        var by = ActorOf(user);
        var media = form.MediaList();
        return action switch
        {
            CaseAction.File => await grain.File(new CaseFiling(form.Category, form.Note), by),
            CaseAction.Cancel => await grain.Cancel(form.Note ?? "", by),
            CaseAction.Dispatch => await grain.Dispatch(form.Department, form.Verifier, form.Note, by),
            CaseAction.Handle => await grain.Handle(form.Note ?? "", media, by),
            CaseAction.Verify => await grain.Verify(form.Passed, form.Note, media, by),
            CaseAction.Close => await grain.Close(form.Note, by),
            CaseAction.Evaluate => await grain.Evaluate(form.Score, form.Note, by),
            CaseAction.Supervise => await grain.Supervise(form.Note ?? "", by),
            _ => await grain.Reassign(form.Department ?? "", form.Note, by),
        };
    }

    public static string Label(CaseAction action) => action switch
    {
        CaseAction.File => "立案 File",
        CaseAction.Cancel => "注销 Cancel",
        CaseAction.Dispatch => "派遣 Dispatch",
        CaseAction.Handle => "处理反馈 Report handling",
        CaseAction.Verify => "核查 Verify",
        CaseAction.Close => "结案 Close",
        CaseAction.Evaluate => "评价 Evaluate",
        CaseAction.Supervise => "督办 Supervise",
        _ => "改派 Reassign",
    };

    public static string StateLabel(CaseState state) => state switch
    {
        CaseState.Reported => "待立案 Reported",
        CaseState.Filed => "已立案 Filed",
        CaseState.Cancelled => "已注销 Cancelled",
        CaseState.Dispatched => "已派遣 Dispatched",
        CaseState.Handled => "已处理 Handled",
        CaseState.Returned => "返工 Returned",
        _ => "已结案 Closed",
    };

    public static string SourceLabel(CaseSource source) => source switch
    {
        CaseSource.Inspector => "监督员 Inspector",
        CaseSource.Hotline => "12319 热线 Hotline",
        CaseSource.Open311 => "市民应用 Open311",
        CaseSource.Alert => "告警 Alert",
        _ => "视频 Video",
    };
}

/// <summary>What the case page's form holds for any step.</summary>
public sealed class CaseForm
{
    public string? Category { get; set; }
    public string? Department { get; set; }
    public string? Verifier { get; set; }
    public string? Note { get; set; }
    public string? Media { get; set; }
    public bool Passed { get; set; } = true;
    public int Score { get; set; } = 5;

    /// <summary>URLs separated by spaces or lines.</summary>
    public IReadOnlyList<string> MediaList() =>
        (Media ?? "").Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

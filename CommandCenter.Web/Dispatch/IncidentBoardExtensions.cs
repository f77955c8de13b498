namespace CommandCenter.Web.Dispatch;

public static class IncidentBoardExtensions
{
    /// <summary>The dispatcher's incident board on the live page: its actions and when a unit's step is overdue.</summary>
    public static IServiceCollection AddIncidentBoard(this IServiceCollection services)
    {
        services.AddSingleton<IncidentActions>();
        services.AddScoped<UnitDeadlines>();
        services.AddScoped<BoardLabels>();
        services.AddScoped<TimelineSteps>();
        services.AddOptions<IncidentBoardOptions>().BindConfiguration(IncidentBoardOptions.Section)
            .Validate(o => o.IsValid(), $"{IncidentBoardOptions.Section}: OnSceneWithin must be positive").ValidateOnStart();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Grains.Cases;

public static class CaseServices
{
    /// <summary>Cases: settings, the category, department and grid tables, the store, the intake and the deadline watch.</summary>
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddOptions<CaseOptions>().BindConfiguration(CaseOptions.Section)
            .Validate(o => o.IsValid(), $"{CaseOptions.Section}: GridCellDegrees 0.001..1, WarnAtFraction between 0 and 1, limits positive, DefaultInspector set, every category with a code, a known department and positive deadlines, every department user mapped to a known department")
            .ValidateOnStart();
        services.AddSingleton<CaseCategories>();
        services.AddSingleton<Departments>();
        services.AddSingleton<GridCells>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<CaseIntake>();
        services.AddSingleton<CaseDeadlineWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<CaseDeadlineWatch>());
        return services;
    }
}

namespace CommandCenter.Web.Intake;

public static class IntakeExtensions
{
    /// <summary>The hotline desk and its duplicate search; the settings of cases opened from other sources.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section)
            .Validate(o => o.IsValid(), $"{IntakeOptions.Section}: DuplicateRadiusMeters 0..10000 (exclusive of 0), DuplicateWindow up to 7 days, ViolationCategory set")
            .Validate<Microsoft.Extensions.Options.IOptions<Grains.Cases.CaseOptions>>(
                (o, cases) => new Grains.Cases.CaseCategories(cases).Find(o.ViolationCategory) is not null,
                $"{IntakeOptions.Section}:ViolationCategory must be the code of a case category")
            .ValidateOnStart();
        services.AddSingleton<DuplicateCases>();
        services.AddScoped<HotlineDesk>();
        return services;
    }
}

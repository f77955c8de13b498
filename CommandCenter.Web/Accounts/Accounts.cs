using CommandCenter.Grains.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Accounts;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Inspector = "Inspector";
    public const string EnforcementOfficer = "EnforcementOfficer";
    /// <summary>A user of a department that handles cases; which department is set in Cases:DepartmentUsers.</summary>
    public const string Department = "Department";

    public static readonly string[] All = [Admin, Operator, Inspector, EnforcementOfficer, Department];
    /// <summary>Who may acknowledge and clear alerts.</summary>
    public const string AlertHandlers = $"{Admin},{Operator},{EnforcementOfficer}";
}

public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>File name of the accounts database, inside the data directory.</summary>
    public string Database { get; set; } = "accounts.db";
    /// <summary>Directory of the keys that protect sign-in cookies, inside the data directory.</summary>
    public string KeysDirectory { get; set; } = "keys";
    /// <summary>Accounts created at start-up when they do not exist yet; existing ones are left alone.</summary>
    public List<SeedAccount> Seed { get; set; } = [];
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(12);
    /// <summary>How often an open screen checks that its sign-in still holds (not signed out, password not changed elsewhere).</summary>
    public TimeSpan OpenScreenCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// A PFX file whose certificate encrypts the sign-in cookie keys at rest; empty (the default) stores them
    /// unencrypted, readable by the service's user only.
    /// </summary>
    public string KeysCertificate { get; set; } = "";
    /// <summary>Password of <see cref="KeysCertificate"/>; empty for none.</summary>
    public string KeysCertificatePassword { get; set; } = "";
}

public sealed record SeedAccount(string UserName, string Password, string[] Roles);

public sealed class AccountsDb(DbContextOptions<AccountsDb> options) : IdentityDbContext<IdentityUser>(options);

public static class AccountsExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        var accounts = configuration.GetSection(AccountOptions.Section).Get<AccountOptions>() ?? new();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new();
        var dataDirectory = Path.GetFullPath(storage.DataDirectory);
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section)
            .Validate(o => o.KeysCertificate.Length == 0 || File.Exists(o.KeysCertificate), "Accounts:KeysCertificate names a file that does not exist.")
            .Validate(o => o.OpenScreenCheckInterval > TimeSpan.Zero, "Accounts:OpenScreenCheckInterval must be positive.")
            .ValidateOnStart();
        services.AddKeyProtection(accounts, dataDirectory);
        // Storage:PostgreSql chooses the provider, read here as the records' is: then every node signs in against one
        // database (its tables are record migration 9), else the accounts stay in their own SQLite file.
        if (storage.UsesPostgreSql) services.AddDbContext<AccountsDb>(o => o.UseNpgsql(storage.PostgreSql));
        else services.AddDbContext<AccountsDb>(o => o.UseSqlite($"Data Source={Path.Combine(dataDirectory, accounts.Database)}"));
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies(cookies =>
            cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.ExpireTimeSpan = accounts.SignInLifetime;
                o.SlidingExpiration = true;
                EndedSignIns.Hook(o);
            }));
        services.AddSingleton<EndedSignIns>();
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            EndedSignIns.KeepId(context);
            return Task.CompletedTask;
        });
        services.AddIdentityCore<IdentityUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AccountsDb>()
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddSignInManager();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<SignInCheck>();
        services.AddScoped<AuthenticationStateProvider, OpenScreenSignIn>();
        return services;
    }

    public static async Task SeedAccounts(this IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var dataDirectory = Path.GetFullPath(storage.DataDirectory);
        // Data written by an older version was world-readable; from here on everything is created private.
        PrivateFiles.CreateDirectory(dataDirectory);
        PrivateFiles.Restrict(dataDirectory);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDb>();
        if (storage.UsesPostgreSql)
        {
            // The tables come with the records' migrations, under their advisory lock; building the record database applies them.
            services.GetRequiredService<IRecordDatabase>();
            // Nodes starting together would each find a seed account missing and create it twice (the second failing on
            // the unique user name): the whole seeding is one transaction under the migrations' lock, so they take turns.
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync(SqlDialect.PostgreSql.MigrationLock!);
            await Seed(scope.ServiceProvider);
            await transaction.CommitAsync();
        }
        else
        {
            PrivateFiles.PrepareDatabase(Path.Combine(dataDirectory, services.GetRequiredService<IOptions<AccountOptions>>().Value.Database));
            await db.Database.EnsureCreatedAsync();
            await Seed(scope.ServiceProvider);
        }
    }

    /// <summary>Creates the roles and the seed accounts that do not exist yet; existing ones are left alone.</summary>
    private static async Task Seed(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)), role);

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        foreach (var seed in services.GetRequiredService<IOptions<AccountOptions>>().Value.Seed)
        {
            if (await users.FindByNameAsync(seed.UserName) is not null) continue;
            var user = new IdentityUser(seed.UserName);
            Check(await users.CreateAsync(user, seed.Password), seed.UserName);
            Check(await users.AddToRolesAsync(user, seed.Roles), seed.UserName);
        }
    }

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // The antiforgery middleware checks the token the header's sign-out form posts; without it a form on any
        // other site could sign an operator out of the wall.
        app.MapPost("/account/logout", async (HttpContext context, SignInManager<IdentityUser> signIn, EndedSignIns ended, ILogger<EndedSignIns> logger) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                return Results.BadRequest("The sign-out request carried no valid antiforgery token.");
            // Ended on the server before the cookie goes: a copy of it opens nothing on any node afterwards. Without the
            // record database the browser is still signed out; only a copy of its cookie would outlive that.
            try
            {
                await ended.EndAsync(context.User);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Signing out {User}: the ended sign-in could not be stored; the browser is signed out, a copy of its cookie is not refused", context.User.Identity?.Name);
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Seeding account '{what}' failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using CommandCenter.Simulators.Cases;
using CommandCenter.ServiceDefaults;
using CommandCenter.Simulators.Hosting;

// A one-off job rather than devices: fill a data directory with generated cases and exit.
if (GenerateCasesCommand.IsAsked(args)) return await GenerateCasesCommand.RunAsync(args);

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json is copied next to the program; find it whatever folder the program is started from.
    ContentRootPath = AppContext.BaseDirectory,
});

// Every simulator is a hosted service registered in AddSimulators; a new one is added there.
builder.AddServiceDefaults();
builder.Services.AddSimulators(builder.Configuration);

using var host = builder.Build();
try
{
    // Checked before starting so that a wrong setting reads as one line, not as a hosting failure with a stack trace.
    _ = host.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
}
catch (OptionsValidationException invalid)
{
    Console.Error.WriteLine($"[sim] invalid configuration: {string.Join("; ", invalid.Failures)}");
    return 1;
}

await host.RunAsync();
return 0;

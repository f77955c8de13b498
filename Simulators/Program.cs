using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Simulators.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json is copied next to the program; find it whatever folder the program is started from.
    ContentRootPath = AppContext.BaseDirectory,
});

// All simulators (handhelds, sensors, camera heartbeats, load) are hosted services registered in AddSimulators.
builder.Services.AddSimulators(builder.Configuration);

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (OptionsValidationException invalid)
{
    Console.Error.WriteLine($"[sim] invalid configuration: {string.Join("; ", invalid.Failures)}");
    return 1;
}

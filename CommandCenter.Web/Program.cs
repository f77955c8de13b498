using CommandCenter.Web;
using CommandCenter.Web.Accounts;

var builder = WebApplication.CreateBuilder(args);
builder.AddCommandCenter();

var app = builder.Build();
try
{
    await app.UseCommandCenter();
}
catch (StartRefusedException)
{
    // Already logged; disposing flushes the log before the process ends.
    await app.DisposeAsync();
    return 2;
}
app.Run();
return 0;

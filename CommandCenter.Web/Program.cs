using CommandCenter.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddCommandCenter();

var app = builder.Build();
await app.UseCommandCenter();
app.Run();

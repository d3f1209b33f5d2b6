using Microsoft.Extensions.Options;
using SessionBot.Audit;
using SessionBot.Configuration;
using SessionBot.Endpoints;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddRepositoryDevelopmentSettings(builder.Environment);
await builder.AddSandboxAsync();
builder.Services.AddSessionBot(builder.Configuration);
builder.Services.AddAuditStore(builder.Configuration);

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
Readiness.MapReadiness(app);
app.MapMattermost();
try
{
    await app.RunAsync();
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("SessionBot cannot start: fix its configuration (see README, Configuration):");
    foreach (var failure in e.Failures)
        Console.Error.WriteLine("  - " + failure);
    return 1;
}
return 0;

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;

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
await app.RunAsync();

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;

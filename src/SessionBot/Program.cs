using SessionBot.Audit;
using SessionBot.Configuration;
using SessionBot.Endpoints;
using SessionBot.Metrics;
using SessionBot.Registration;

// Options are read once at start, so watching the settings files would change nothing; and the watcher covers the
// whole content root, where every audit write (data/audit.db) would wake it.
if (RegisterCommandLine.AsksForHelp(args))
    return await RegisterCommandLine.HelpAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.Configuration.AddRepositoryDevelopmentSettings(builder.Environment);
builder.UseDevelopmentUrls();
await builder.AddSandboxAsync();
builder.AddSessionBotMetrics();
builder.Services.AddSessionBot(builder.Configuration);
builder.Services.AddAuditStore(builder.Configuration);

var app = builder.Build();
if (RegisterCommandLine.IsRequested(args))
    return await RegisterCommandLine.RunAsync(args, app.Services, Console.Out, Console.Error);

app.MapHealth();
app.MapSessionBotMetrics();
app.MapMattermost();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;

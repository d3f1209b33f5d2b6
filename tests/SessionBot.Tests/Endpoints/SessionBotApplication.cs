using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Tests.Commands;

namespace SessionBot.Tests.Endpoints;

/// <summary>The real app over HTTP, with Mattermost and the audit store replaced by the test's mocks.</summary>
/// <param name="realAuditStore">Keep the configured audit store (e.g. PostgreSQL) instead of the mock.</param>
internal class SessionBotApplication(BotUnderTest bot, IDictionary<string, string?>? settings = null, bool realAuditStore = false) : WebApplicationFactory<Program>
{
    public const string SessionsToken = "sessionstoken0000000000001";
    public const string RevokeToken = "revoketoken000000000000002";
    public const string DeactivateToken = "deactivatetoken00000000003";
    public const string WebhookToken = "webhooktoken00000000000004";
    /// <summary>The one channel webhook commands are taken from.</summary>
    public const string WebhookChannelId = "ops000000000000000000000oo";

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Mattermost:Url"] = "http://mattermost.test",
        ["Mattermost:BotToken"] = "bottoken000000000000000005",
        ["Mattermost:CommandTokens:sessions"] = SessionsToken,
        ["Mattermost:CommandTokens:revoke"] = RevokeToken,
        ["Mattermost:CommandTokens:deactivate"] = DeactivateToken,
        ["Mattermost:WebhookTokens:0"] = WebhookToken,
        ["Mattermost:WebhookChannelIds:0"] = WebhookChannelId,
    };

    /// <summary>Every log line the app writes, from Debug up.</summary>
    public LogSink Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings ?? DefaultSettings()));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IMattermostClient>();
            services.AddSingleton(bot.Mattermost.Object);
            if (realAuditStore)
                return;
            services.RemoveAll<IAuditStore>();
            services.AddSingleton(bot.Audit.Object);
        });
    }
}

using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Commands;
using SessionBot.Commands.Activate;
using SessionBot.Commands.AuditLog;
using SessionBot.Commands.Deactivate;
using SessionBot.Commands.Help;
using SessionBot.Commands.Revoke;
using SessionBot.Commands.Sessions;
using SessionBot.Endpoints;
using SessionBot.Mattermost;
using SessionBot.Metrics;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Configuration;

/// <summary>Composition of the bot's services.</summary>
public static class SessionBotServices
{
    public static IServiceCollection AddSessionBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<MattermostOptions>, MattermostOptionsValidator>();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddSingleton<IValidateOptions<TemplateOptions>, TemplateOptionsValidator>();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddSingleton<IValidateOptions<BotOptions>, BotOptionsValidator>();
        services.AddSingleton<IValidateOptions<NotifyOptions>, NotifyOptionsValidator>();
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section)).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateOnStart();
        services.AddOptions<MattermostOptions>().Bind(configuration.GetSection(MattermostOptions.Section)).ValidateOnStart();
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section)).ValidateOnStart();
        services.AddOptions<TemplateOptions>().Bind(configuration.GetSection(TemplateOptions.Section)).ValidateOnStart();
        services.AddOptions<NotifyOptions>().Bind(configuration.GetSection(NotifyOptions.Section)).ValidateOnStart();

        services.AddBotMetrics();
        services.AddMattermostClient();
        services.PostConfigure<LoggerFilterOptions>(KeepRequestUrlsOutOfTheLogs);

        // Delayed replies go to Mattermost's own hook URLs, which take no token: a client without the bot token.
        services.AddHttpClient<ResponseUrl>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Buttons>();
        services.AddSingleton<ReplyRenderer>();
        services.AddSingleton<RoleCache>();
        services.AddSingleton<ServerFacts>();
        services.AddSingleton<Readers>();
        services.AddSingleton<TokenVerifier>();
        services.AddSingleton<CommandRateLimiter>();
        services.AddSingleton<WebhookChannels>();
        services.AddSingleton<ClickVerifier>();
        services.AddTransient<SlowReply>();
        services.AddSessionBotHealthChecks();
        services.AddSingleton<Audit.BackgroundPosts>();
        services.AddSingleton<Audit.OpsChannel>();
        services.AddSingleton<Audit.AffectedPeople>();
        services.AddCommands();
        return services;
    }

    /// <summary>
    /// ASP.NET Core's per-request lines ("Request starting …", "Request finished …") write the URL with its query
    /// string, and a command sent by GET carries its token there: they are kept at Warning for every provider, whatever
    /// the configuration says (the rule is the most specific there is, and the last).
    /// </summary>
    private static void KeepRequestUrlsOutOfTheLogs(LoggerFilterOptions options)
    {
        const string category = "Microsoft.AspNetCore.Hosting.Diagnostics";
        foreach (var provider in options.Rules.Select(r => r.ProviderName).Distinct().ToArray())
            options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, null));
        options.Rules.Add(new LoggerFilterRule(null, category, LogLevel.Warning, null));
    }

    /// <summary>
    /// The commands: the dispatcher the endpoints call, the steps every command about users shares, and one handler per
    /// command (<c>Commands/&lt;Command&gt;/</c>). Needs the Mattermost client, the audit store, options and the singletons above.
    /// </summary>
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddTransient<UserDirectory>();
        services.AddTransient<TargetResolver>();
        services.AddTransient<AuditTrail>();
        services.AddTransient<Confirmation>();
        services.AddTransient<TargetPipeline>();
        services.AddTransient<HelpHandler>();
        services.AddTransient<UsageHandler>();
        services.AddTransient<ListSessionsHandler>();
        services.AddTransient<AuditLogHandler>();
        services.AddTransient<RevokeSessionHandler>();
        services.AddTransient<RevokeAllHandler>();
        services.AddTransient<RevokeTokenHandler>();
        services.AddTransient<RevokeEveryoneHandler>();
        services.AddTransient<DeactivateHandler>();
        services.AddTransient<ActivateHandler>();
        services.AddTransient<CommandRunner>();
        return services;
    }
}

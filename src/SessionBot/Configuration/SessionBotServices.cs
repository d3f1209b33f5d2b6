using Microsoft.Extensions.Configuration.Json;
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
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section)).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateOnStart();
        services.AddOptions<MattermostOptions>().Bind(configuration.GetSection(MattermostOptions.Section)).ValidateOnStart();
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section)).ValidateOnStart();
        services.AddOptions<TemplateOptions>().Bind(configuration.GetSection(TemplateOptions.Section)).ValidateOnStart();

        services.AddMattermostClient();

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
        services.AddSingleton<Readiness>();
        services.AddSingleton<Audit.OpsChannel>();
        services.AddCommands();
        return services;
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

    /// <summary>
    /// In Development, loads <c>appsettings.Development.json</c> from the repository root (beside SessionBot.sln),
    /// ranked just after the other JSON files so environment variables and arguments still override it.
    /// </summary>
    public static void AddRepositoryDevelopmentSettings(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
            return;
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "appsettings.Development.json");
            if (File.Exists(Path.Combine(dir.FullName, "SessionBot.sln")) && File.Exists(file))
            {
                var sources = configuration.Sources;
                var afterJson = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i + 1;
                var source = new JsonConfigurationSource { Path = file, Optional = true, ReloadOnChange = false };
                source.ResolveFileProvider();
                sources.Insert(afterJson, source);
                return;
            }
        }
    }
}

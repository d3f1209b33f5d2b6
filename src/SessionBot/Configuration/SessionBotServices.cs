using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Commands;
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

        services.AddMetrics();
        services.AddSingleton<Metrics.BotMetrics>();
        services.AddMattermostClient();
        services.PostConfigure<LoggerFilterOptions>(KeepRequestUrlsOutOfTheLogs);

        // Delayed replies go to Mattermost's own hook URLs, which take no token: a client without the bot token.
        services.AddHttpClient<ResponseUrl>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Buttons>();
        services.AddSingleton<ReplyRenderer>();
        services.AddSingleton<RoleCache>();
        services.AddSingleton<ServerFacts>();
        services.AddSingleton<TokenVerifier>();
        services.AddSingleton<CommandRateLimiter>();
        services.AddSessionBotHealthChecks();
        services.AddSingleton<Audit.OpsChannel>();
        services.AddTransient<UserDirectory>();
        services.AddTransient<CommandRunner>();
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

using Microsoft.Extensions.Options;
using Refit;
using SessionBot.Configuration;
using SessionBot.Metrics;

namespace SessionBot.Mattermost;

/// <summary>Registers <see cref="IMattermostClient"/>: Refit's generated client over the bot's message handlers.</summary>
public static class MattermostClientServices
{
    /// <summary>
    /// JSON only through the source-generated <see cref="MattermostJson"/> (a type it does not list fails, nothing
    /// falls back to reflection), and no failure that leaves the client as anything but a <see cref="MattermostException"/>.
    /// </summary>
    public static RefitSettings Settings() => new(new SystemTextJsonContentSerializer(MattermostJson.Default.Options))
    {
        // MattermostCallHandler already throws for these; Refit's own ApiException must never reach a caller either.
        ExceptionFactory = async response => response.IsSuccessStatusCode ? null : await MattermostCallHandler.FromErrorAnswerAsync(response, CancellationToken.None),
        DeserializationExceptionFactory = (response, e) => ValueTask.FromResult<Exception?>(MattermostCallHandler.FromUnreadableAnswer(response, e)),
        TransportExceptionFactory = (request, e, ct) => e switch
        {
            MattermostException => e,
            OperationCanceledException when ct.IsCancellationRequested => e,
            _ => MattermostCallHandler.FromTransport(request, e),
        },
    };

    /// <returns>The client's builder, for tests to put their own server (primary handler) under it.</returns>
    public static IHttpClientBuilder AddMattermostClient(this IServiceCollection services)
    {
        services.AddBotMetrics();
        services.AddTransient<MattermostCallMetrics>();
        services.AddTransient<MattermostCallHandler>();
        services.AddTransient<BotTokenHandler>();
        services.AddTransient<MattermostWait.Handler>();
        // Generated-only: AddRefitClient would build requests through Refit.Reflection, which the bot does not use.
        return services.AddRefitGeneratedClient<IMattermostClient>(Settings())
            .ConfigureHttpClient((provider, http) =>
            {
                http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<MattermostOptions>>().Value.Url.TrimEnd('/') + "/api/v4");
                // Each attempt has its own timeout (MattermostCallHandler), not the call with its retries.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // Caches hold the client for the app's lifetime; the pooled handler still renews connections (DNS).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // Outermost first: metrics of the whole call, retries around the token, and the wait counts each attempt on its own.
            .AddHttpMessageHandler<MattermostCallMetrics>()
            .AddHttpMessageHandler<MattermostCallHandler>()
            .AddHttpMessageHandler<BotTokenHandler>()
            .AddHttpMessageHandler<MattermostWait.Handler>()
            // A failed call reaches the caller as a MattermostException, which it reports; the factory's per-call log
            // scopes and lines cost every command and say nothing more.
            .RemoveAllLoggers();
    }
}

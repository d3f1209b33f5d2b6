using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace SessionBot.Metrics;

/// <summary>Section <c>Metrics</c>: a Prometheus scrape endpoint, off unless enabled.</summary>
public sealed record MetricsOptions
{
    public const string Section = "Metrics";
    public bool Enabled { get; init; }
    /// <summary>Serve <c>/metrics</c> only on this port (added to the ones the bot listens on), not beside the commands.</summary>
    public int? Port { get; init; }
}

public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.Port is < 1 or > 65535
            ? ValidateOptionsResult.Fail("Metrics:Port is invalid: it must be a port number from 1 to 65535.")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The bot's meter (<see cref="BotMetrics"/>) always, so counting costs nothing to code that does not look; with
/// <c>Metrics:Enabled</c>, OpenTelemetry collects it with ASP.NET Core's and HttpClient's own metrics for
/// <c>GET /metrics</c> in Prometheus's text format.
/// </summary>
public static class MetricsServices
{
    /// <summary>The bot's meter, for every piece that counts something (idempotent).</summary>
    public static IServiceCollection AddBotMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<BotMetrics>();
        return services;
    }

    public static WebApplicationBuilder AddSessionBotMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.Section)).ValidateOnStart();
        // The meters are chosen when the provider is built, from the bound options (the settings every source gave):
        // while disabled, nothing listens to any meter, so recording a measurement costs next to nothing.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            ((IDeferredMeterProviderBuilder)metrics).Configure((services, deferred) =>
            {
                if (services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
                    // ASP.NET Core's and HttpClient's own meters: what the OpenTelemetry instrumentation packages turn on since
                    // .NET 8, named here because services can no longer be added once the options are known.
                    deferred.AddMeter(BotMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
            });
            metrics.AddPrometheusExporter();
        });
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Port is { } port)
        {
            // Kestrel takes either URLs or explicit endpoints, not both: the metrics port joins the URLs.
            var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : "http://localhost:5000";
            builder.WebHost.UseUrls($"{urls};http://*:{port}");
        }
        return builder;
    }

    public static WebApplication MapSessionBotMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
            return app;
        var scrape = app.MapPrometheusScrapingEndpoint("/metrics");
        if (options.Port is { } port)
            scrape.RequireHost($"*:{port}");
        return app;
    }
}

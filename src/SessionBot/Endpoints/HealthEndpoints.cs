using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SessionBot.Audit;
using SessionBot.Mattermost;

namespace SessionBot.Endpoints;

/// <summary>
/// <c>GET /healthz</c> (alive: no checks) and <c>GET /readyz</c> (the audit store takes a write, Mattermost accepts the
/// bot token) through ASP.NET Core's health checks. The body names each part's state:
/// <c>{"status":"ready","audit":"ok","mattermost":"ok"}</c>, or <c>"not ready"</c> with 503 and what fails.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>A probe needs an answer quickly: a part that has not answered by then is failing.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a part's state is kept, so that probes cannot load Mattermost or the store.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddSessionBotHealthChecks(this IServiceCollection services)
    {
        services.AddKeyedSingleton<IHealthCheck>("audit", (sp, _) => new PartCheck("the audit store",
            ct => sp.GetRequiredService<IAuditStore>().CheckWritableAsync(ct),
            _ => "the audit store cannot be written", sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PartCheck>>()));
        services.AddKeyedSingleton<IHealthCheck>("mattermost", (sp, _) => new PartCheck("Mattermost",
            ct => sp.GetRequiredService<IMattermostClient>().GetUserAsync("me", ct),
            e => e is MattermostException { StatusCode: 401 } ? "Mattermost does not accept the bot token"
                : e is MattermostException m ? $"{m.Failure.ToString().ToLowerInvariant()}{(m.StatusCode > 0 ? $" (HTTP {m.StatusCode})" : "")}"
                : "Mattermost could not be checked",
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PartCheck>>()));
        var checks = services.AddHealthChecks();
        foreach (var name in new[] { "audit", "mattermost" })
            checks.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredKeyedService<IHealthCheck>(name), HealthStatus.Unhealthy, [ReadyTag], CheckTimeout));
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (http, _) => WriteAsync(http, [("status", "alive")]) });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = (http, report) => WriteAsync(http,
                [("status", report.Status == HealthStatus.Healthy ? "ready" : "not ready"),
                 .. report.Entries.Select(e => (e.Key, e.Value.Status == HealthStatus.Healthy ? "ok" : "failing: " + e.Value.Description))]),
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext http, IEnumerable<(string Name, string Value)> fields)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        foreach (var (name, value) in fields)
            json.WriteString(name, value);
        json.WriteEndObject();
    }

    /// <summary>
    /// One part's check, answered from the last result while it is fresh; one check at a time, so a burst of probes
    /// makes one call. A part that does not answer within <see cref="CheckTimeout"/> is failing.
    /// </summary>
    private sealed class PartCheck(string part, Func<CancellationToken, Task> probe, Func<Exception, string> describe, TimeProvider time, ILogger logger) : IHealthCheck
    {
        private readonly SemaphoreSlim checking = new(1, 1);
        private (HealthCheckResult Result, DateTimeOffset Until)? last;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            await checking.WaitAsync(ct);
            try
            {
                if (last is { } fresh && fresh.Until > time.GetUtcNow())
                    return fresh.Result;
                var result = await RunAsync(ct);
                last = (result, time.GetUtcNow() + Lifetime);
                return result;
            }
            finally
            {
                checking.Release();
            }
        }

        private async Task<HealthCheckResult> RunAsync(CancellationToken ct)
        {
            try
            {
                // The framework cancels the token after the registration's timeout; WaitAsync also ends a probe that ignores it.
                await probe(ct).WaitAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                logger.LogWarning("Readiness: {Part} did not answer within {Timeout}.", part, CheckTimeout);
                return HealthCheckResult.Unhealthy($"{part} did not answer within {CheckTimeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (e is MattermostException m)
                    logger.LogWarning("Readiness: {Part} failed ({Failure}, {Status}, {ErrorId}).", part, m.Failure, m.StatusCode, m.ErrorId);
                else
                    logger.LogWarning(e, "Readiness: {Part} failed.", part);
                return HealthCheckResult.Unhealthy(describe(e));
            }
        }
    }
}

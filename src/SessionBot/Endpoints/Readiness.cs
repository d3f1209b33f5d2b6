using SessionBot.Audit;
using SessionBot.Mattermost;

namespace SessionBot.Endpoints;

/// <summary>
/// <c>GET /readyz</c>: ready only when the audit store takes a write and Mattermost accepts the bot token. The
/// answer is kept a few seconds so probes cannot load Mattermost or the store.
/// </summary>
public sealed class Readiness(IAuditStore audit, IMattermostClient mattermost, TimeProvider time, ILogger<Readiness> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>A probe needs an answer quickly: a part that has not answered by then is failing.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim checking = new(1, 1);
    private (ReadinessReport Report, DateTimeOffset Until)? cached;

    public sealed record ReadinessReport(string Status, string Audit, string Mattermost)
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public bool Ready => Status == "ready";
    }

    public static IEndpointRouteBuilder MapReadiness(IEndpointRouteBuilder app)
    {
        app.MapGet("/readyz", async (Readiness readiness, CancellationToken ct) =>
        {
            var report = await readiness.CheckAsync(ct);
            return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    public async Task<ReadinessReport> CheckAsync(CancellationToken ct)
    {
        await checking.WaitAsync(ct);
        try
        {
            if (cached is { } fresh && fresh.Until > time.GetUtcNow())
                return fresh.Report;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(CheckTimeout);
            var auditCheck = CheckAuditAsync(timeout.Token, ct);
            var mattermostCheck = CheckMattermostAsync(timeout.Token, ct);
            var (auditState, mattermostState) = (await auditCheck, await mattermostCheck);
            var report = new ReadinessReport(auditState == "ok" && mattermostState == "ok" ? "ready" : "not ready", auditState, mattermostState);
            cached = (report, time.GetUtcNow() + Lifetime);
            return report;
        }
        finally
        {
            checking.Release();
        }
    }

    private async Task<string> CheckAuditAsync(CancellationToken timeout, CancellationToken ct)
    {
        try
        {
            await audit.CheckWritableAsync(timeout);
            return "ok";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Readiness: the audit store did not answer within {Timeout}.", CheckTimeout);
            return $"failing: the audit store did not answer within {CheckTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Readiness: the audit store cannot be written.");
            return "failing: the audit store cannot be written";
        }
    }

    private async Task<string> CheckMattermostAsync(CancellationToken timeout, CancellationToken ct)
    {
        try
        {
            await mattermost.GetUserAsync("me", timeout);
            return "ok";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Readiness: Mattermost did not answer within {Timeout}.", CheckTimeout);
            return $"failing: Mattermost did not answer within {CheckTimeout.TotalSeconds:0} s";
        }
        catch (MattermostException e)
        {
            logger.LogWarning("Readiness: Mattermost check failed ({Failure}, {Status}, {ErrorId}).", e.Failure, e.StatusCode, e.ErrorId);
            return e.StatusCode == 401
                ? "failing: Mattermost does not accept the bot token"
                : $"failing: {e.Failure.ToString().ToLowerInvariant()}{(e.StatusCode > 0 ? $" (HTTP {e.StatusCode})" : "")}";
        }
    }
}

using SessionBot.Audit;

namespace SessionBot.Metrics;

/// <summary>The configured audit store, with each write timed and counted (reads pass through).</summary>
public sealed class MeteredAuditStore(IAuditStore store, BotMetrics metrics) : IAuditStore
{
    public Task InitializeAsync(CancellationToken ct) => store.InitializeAsync(ct);

    public Task AppendAsync(AuditEntry entry, CancellationToken ct) =>
        metrics.TimeAuditAsync(entry.Outcome == AuditOutcome.Started ? "append_before_change" : "append", () => store.AppendAsync(entry, ct));

    public Task CompleteAsync(Guid entryId, AuditOutcome outcome, string? errorId, CancellationToken ct) =>
        metrics.TimeAuditAsync("complete", () => store.CompleteAsync(entryId, outcome, errorId, ct));

    public Task ForgetDetailAsync(Guid entryId, CancellationToken ct) =>
        metrics.TimeAuditAsync("forget_detail", () => store.ForgetDetailAsync(entryId, ct));

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct) => store.QueryAsync(query, ct);

    public async Task<bool> TryConsumeOnceAsync(string key, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var fresh = false;
        await metrics.TimeAuditAsync("consume_once", async () => fresh = await store.TryConsumeOnceAsync(key, expiresAt, ct));
        return fresh;
    }

    public Task CheckWritableAsync(CancellationToken ct) => store.CheckWritableAsync(ct);
}

using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Replies;

namespace SessionBot.Commands.AuditLog;

/// <summary>
/// <c>/sessions audit [target]</c>: the newest records about the target or made by them. Everyone may read their
/// own; reading someone else's follows the same rule as reading their sessions.
/// </summary>
public sealed class AuditLogHandler(TargetPipeline pipeline, AuditTrail trail, IAuditStore audit, ReplyRenderer replies, TimeProvider time, ILogger<AuditLogHandler> logger)
{
    public const int AuditRecordsShown = 20;

    public async Task<BotReply> HandleAsync(CommandRequest request, AuditLogCommand command, CancellationToken ct)
    {
        var (context, user, entry, refusal) = await pipeline.DecideOneAsync(request, command.Target, BotAction.ReadAudit, ct);
        if (user is null || entry is null)
            return refusal!;

        IReadOnlyList<AuditEntry> records;
        try
        {
            records = await audit.QueryAsync(new AuditQuery(TargetId: user.Id, CallerId: user.Id, Limit: AuditRecordsShown), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The audit store could not be read.");
            return new BotReply(replies.Render(ReplyKind.Failure, new FailureReply(Phrase.Of("failure.audit-store"), NothingChanged: true), context.Reader));
        }
        await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Outcome = AuditOutcome.Done }, ct);
        var now = time.GetUtcNow();
        return new BotReply(replies.Render(ReplyKind.AuditLog, new AuditLogReply(context.IsSelf(user), new UserLabel(user.Username, user.FullName),
            records.Select(r => AuditRecordView.From(r, now, context.Reader)).ToArray()), context.Reader));
    }
}

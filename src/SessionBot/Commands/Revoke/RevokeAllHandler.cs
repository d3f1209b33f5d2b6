using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Commands.Revoke;

/// <summary><c>/revoke all [target …]</c>, and its Confirm button (and the Revoke all button of a session list).</summary>
public sealed class RevokeAllHandler(TargetPipeline pipeline, AuditTrail trail, IMattermostClient mattermost)
{
    public Task<BotReply> HandleAsync(CommandRequest request, RevokeAllCommand command, CancellationToken ct) =>
        pipeline.ActOnEachAsync(request, command.Targets, BotAction.RevokeAll, RevokeAllOfAsync, PreviewAsync, command.Confirmed, ct);

    /// <summary>A confirmed click: the targets it names, decided again for the clicker now.</summary>
    public Task<BotReply> ClickedAsync(CommandRequest click, IReadOnlyList<TargetRef> targets, CancellationToken ct) =>
        pipeline.ActOnEachAsync(click, targets, BotAction.RevokeAll, RevokeAllOfAsync, PreviewAsync, confirmed: true, ct);

    /// <summary>
    /// One target. The caller's own sessions were read alongside the look-ups and are counted; another person's are not
    /// read at all (that would cost a round trip after the decision): Mattermost ends them all, and the reply says so
    /// without a count.
    /// </summary>
    private async Task<TargetOutcome> RevokeAllOfAsync(TargetContext context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        var count = context.OwnSessionsOf(user) is { } own ? (await own).Count : (int?)null;
        if (count == 0)
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = Phrase.Of("reason.no-sessions").English }, ct);
            return context.Outcome(OutcomeStatus.Unchanged, user);
        }
        return await trail.ChangeAsync(context, user, count is { } n ? entry with { Detail = $"{n} sessions" } : entry, async () =>
        {
            await mattermost.RevokeAllSessionsAsync(user.Id, ct);
            return context.Outcome(OutcomeStatus.Done, user) with { Count = count ?? 0 };
        }, ct);
    }

    /// <summary>The question says how many sessions end; the target is allowed, so their sessions may be read now.</summary>
    private async Task<TargetOutcome> PreviewAsync(TargetContext context, MattermostUser user, CancellationToken ct)
    {
        var count = (await pipeline.SessionsOfAsync(context, user, ct)).Count;
        return count == 0 ? context.Outcome(OutcomeStatus.Unchanged, user) : context.Outcome(OutcomeStatus.Pending, user) with { Count = count };
    }
}

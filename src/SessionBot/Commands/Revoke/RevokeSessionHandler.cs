using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Commands.Revoke;

/// <summary>
/// <c>/revoke &lt;id-or-prefix&gt; [target]</c>, and the Revoke button of a session list: only a prefix that matches
/// exactly one of the target's sessions revokes anything. Without a named target only the caller's own sessions are
/// searched. Another person's session named by its full id is revoked without reading their sessions first (Mattermost
/// refuses an id that is not theirs); a prefix needs their sessions, read once the caller is allowed.
/// </summary>
public sealed class RevokeSessionHandler(TargetPipeline pipeline, AuditTrail trail, IMattermostClient mattermost)
{
    public async Task<BotReply> HandleAsync(CommandRequest request, RevokeSessionCommand command, CancellationToken ct)
    {
        var action = BotAction.RevokeSession;
        var context = await pipeline.ResolveAsync(request, [command.Target], action, ct);
        if (await pipeline.ReasonMissingAsync(context, context.UserFor(command.Target) is { } named && !context.IsSelf(named), ct) is { } reasonRequired)
            return reasonRequired;
        var outcome = await pipeline.DecideAndActAsync(context, command.Target, action, async (ctx, user, entry, token) =>
        {
            if (ctx.OwnSessionsOf(user) is null && CommandParser.IsId(command.SessionIdPrefix))
                return await RevokeByIdAsync(ctx, user, entry, command.SessionIdPrefix, token);
            var sessions = await pipeline.SessionsOfAsync(ctx, user, token);
            var matches = sessions.Where(s => s.Id.StartsWith(command.SessionIdPrefix, StringComparison.Ordinal)).ToArray();
            if (matches.Length != 1)
            {
                await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = Phrase.Of(matches.Length == 0 ? "reason.no-such-session" : "reason.ambiguous-prefix").English }, token);
                return NoSingleMatch(ctx, user, command.SessionIdPrefix, matches.Length);
            }
            var session = matches[0];
            var shortId = session.Id[..SessionView.ShortIdLength(sessions)];
            return await trail.ChangeAsync(ctx, user, AuditTrail.WithDetail(ctx, entry, session.Id), async () =>
            {
                await mattermost.RevokeSessionAsync(user.Id, session.Id, token);
                return ctx.Outcome(OutcomeStatus.Done, user) with { SessionId = shortId, Count = 1 };
            }, token);
        }, ct);
        return pipeline.Announce(context, new OutcomeReply(action.Name, [outcome]));
    }

    /// <summary>A session's Revoke button: the session it names, of the user it names, decided again for the clicker now.</summary>
    public Task<BotReply> ClickedAsync(CommandRequest click, TargetRef target, string sessionId, CancellationToken ct) =>
        HandleAsync(click, new RevokeSessionCommand(sessionId, target), ct);

    /// <summary>
    /// Revokes a session by its full id. An id that is not one of the user's sessions is refused by Mattermost (400), and
    /// the record then forgets it: it named nothing, and may have been a token pasted by mistake.
    /// </summary>
    private async Task<TargetOutcome> RevokeByIdAsync(TargetContext context, MattermostUser user, AuditEntry entry, string sessionId, CancellationToken ct)
    {
        var named = AuditTrail.WithDetail(context, entry, sessionId);
        var outcome = await trail.ChangeAsync(context, user, named with { CommandText = entry.CommandText }, async () =>
        {
            await mattermost.RevokeSessionAsync(user.Id, sessionId, ct);
            return context.Outcome(OutcomeStatus.Done, user) with { SessionId = sessionId[..8], Count = 1 };
        }, ct, explain: e => e.StatusCode == 400 ? NoSingleMatch(context, user, sessionId, 0) : null);
        if (outcome.IsNoMatch)
            await trail.ForgetDetailAsync(entry.Id);
        return outcome;
    }

    private static TargetOutcome NoSingleMatch(TargetContext context, MattermostUser user, string prefix, int matches) =>
        context.Outcome(matches == 0 ? OutcomeStatus.NoMatch : OutcomeStatus.Ambiguous, user) with { SessionId = prefix, Count = matches };
}

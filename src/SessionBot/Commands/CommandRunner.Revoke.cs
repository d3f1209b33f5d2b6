using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

public sealed partial class CommandRunner
{
    /// <summary>
    /// <c>/revoke &lt;id-or-prefix&gt; [target]</c>: only a prefix that matches exactly one of the target's sessions
    /// revokes anything. Without a named target only the caller's own sessions are searched. Another person's session
    /// named by its full id is revoked without reading their sessions first (Mattermost refuses an id that is not
    /// theirs); a prefix needs their sessions, read once the caller is allowed.
    /// </summary>
    private async Task<string> RevokeSessionAsync(CommandRequest request, RevokeSessionCommand command, CancellationToken ct)
    {
        var context = await PrepareAsync(request, [command.Target], UserAction.RevokeSession, ct);
        var outcome = await DecideAndActAsync(context, command.Target, UserAction.RevokeSession, async (ctx, user, entry, token) =>
        {
            if (ctx.OwnSessionsOf(user) is null && CommandParser.IsId(command.SessionIdPrefix))
                return await RevokeByIdAsync(ctx, user, entry, command.SessionIdPrefix, token);
            var sessions = await SessionsOfAsync(ctx, user, token);
            var matches = sessions.Where(s => s.Id.StartsWith(command.SessionIdPrefix, StringComparison.Ordinal)).ToArray();
            if (matches.Length != 1)
            {
                await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = matches.Length == 0 ? "no such session" : "ambiguous prefix" }, token);
                return NoSingleMatch(ctx, user, command.SessionIdPrefix, matches.Length);
            }
            var session = matches[0];
            var shortId = session.Id[..SessionView.ShortIdLength(sessions)];
            return await ChangeAsync(ctx, user, WithDetail(ctx, entry, session.Id), async () =>
            {
                await mattermost.RevokeSessionAsync(user.Id, session.Id, token);
                return Outcome(ctx, OutcomeStatus.Done, user) with { SessionId = shortId, Count = 1 };
            }, token);
        }, ct);
        return ReplyAndAnnounce(request, new OutcomeReply("revoke-session", [outcome]));
    }

    /// <summary>
    /// Revokes a session by its full id. An id that is not one of the user's sessions is refused by Mattermost (400), and
    /// the record then forgets it: it named nothing, and may have been a token pasted by mistake.
    /// </summary>
    private async Task<TargetOutcome> RevokeByIdAsync(Context context, MattermostUser user, AuditEntry entry, string sessionId, CancellationToken ct)
    {
        var named = WithDetail(context, entry, sessionId);
        var outcome = await ChangeAsync(context, user, named with { CommandText = entry.CommandText }, async () =>
        {
            await mattermost.RevokeSessionAsync(user.Id, sessionId, ct);
            return Outcome(context, OutcomeStatus.Done, user) with { SessionId = sessionId[..8], Count = 1 };
        }, ct, explain: e => e.StatusCode == 400 ? NoSingleMatch(context, user, sessionId, 0) : null);
        if (outcome.IsNoMatch)
            await ForgetDetailAsync(entry.Id);
        return outcome;
    }

    private static TargetOutcome NoSingleMatch(Context context, MattermostUser user, string prefix, int matches) =>
        Outcome(context, matches == 0 ? OutcomeStatus.NoMatch : OutcomeStatus.Ambiguous, user) with { SessionId = prefix, Count = matches };

    private async Task ForgetDetailAsync(Guid entryId)
    {
        try
        {
            await audit.ForgetDetailAsync(entryId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "The audit record {EntryId} could not be cleared of an id that named nothing.", entryId);
        }
    }

    /// <summary>
    /// <c>/revoke all [target …]</c>, for one target. The caller's own sessions were read alongside the look-ups and are
    /// counted; another person's are not read at all (that would cost a round trip after the decision): Mattermost
    /// ends them all, and the reply says so without a count.
    /// </summary>
    private async Task<TargetOutcome> RevokeAllOfAsync(Context context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        var count = context.OwnSessionsOf(user) is { } own ? (await own).Count : (int?)null;
        if (count == 0)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = "no sessions" }, ct);
            return Outcome(context, OutcomeStatus.Unchanged, user);
        }
        return await ChangeAsync(context, user, count is { } n ? entry with { Detail = $"{n} sessions" } : entry, async () =>
        {
            await mattermost.RevokeAllSessionsAsync(user.Id, ct);
            return Outcome(context, OutcomeStatus.Done, user) with { Count = count ?? 0 };
        }, ct);
    }
}

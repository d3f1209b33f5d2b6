using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

public sealed partial class CommandRunner
{
    /// <summary>
    /// <c>/revoke &lt;id-or-prefix&gt; [target]</c>: only a prefix that matches exactly one of the target's sessions
    /// revokes anything. Without a named target only the caller's own sessions are searched.
    /// </summary>
    private async Task<string> RevokeSessionAsync(CommandRequest request, RevokeSessionCommand command, CancellationToken ct)
    {
        var context = await PrepareAsync(request, [command.Target], UserAction.RevokeSession, ct);
        var outcome = await DecideAndActAsync(context, command.Target, UserAction.RevokeSession, async (ctx, user, entry, token) =>
        {
            var sessions = await SessionsOfAsync(ctx, user, token);
            var matches = sessions.Where(s => s.Id.StartsWith(command.SessionIdPrefix, StringComparison.Ordinal)).ToArray();
            if (matches.Length != 1)
            {
                await RecordAsync(entry with { Detail = command.SessionIdPrefix, Decision = AuditDecision.Allowed, Reason = matches.Length == 0 ? "no such session" : "ambiguous prefix" }, token);
                return Outcome(ctx, matches.Length == 0 ? OutcomeStatus.NoMatch : OutcomeStatus.Ambiguous, user)
                    with
                { SessionId = command.SessionIdPrefix, Count = matches.Length };
            }
            var session = matches[0];
            var shortId = session.Id[..SessionView.ShortIdLength(sessions)];
            return await ChangeAsync(ctx, user, entry with { Detail = session.Id }, async () =>
            {
                await mattermost.RevokeSessionAsync(user.Id, session.Id, token);
                return Outcome(ctx, OutcomeStatus.Done, user) with { SessionId = shortId, Count = 1 };
            }, token);
        }, ct);
        return ReplyAndAnnounce(request, new OutcomeReply("revoke-session", [outcome]));
    }

    /// <summary><c>/revoke all [target …]</c>, for one target: counts the sessions, then ends them all.</summary>
    private async Task<TargetOutcome> RevokeAllOfAsync(Context context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        var sessions = await SessionsOfAsync(context, user, ct);
        if (sessions.Count == 0)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = "no sessions" }, ct);
            return Outcome(context, OutcomeStatus.Unchanged, user);
        }
        return await ChangeAsync(context, user, entry with { Detail = $"{sessions.Count} sessions" }, async () =>
        {
            await mattermost.RevokeAllSessionsAsync(user.Id, ct);
            return Outcome(context, OutcomeStatus.Done, user) with { Count = sessions.Count };
        }, ct);
    }
}

using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands.Sessions;

/// <summary><c>/sessions [target]</c>: newest activity first, paged to fit one message, with one-click revoke buttons.</summary>
public sealed class ListSessionsHandler(TargetPipeline pipeline, AuditTrail trail, ReplyRenderer replies, Buttons buttons, IOptions<BotOptions> botOptions, TimeProvider time)
{
    /// <summary>Sessions listed in one reply before the rest are counted as "not shown".</summary>
    public const int MaxSessionsShown = 50;

    private readonly int revokeButtons = botOptions.Value.RevokeButtons;

    public async Task<BotReply> HandleAsync(CommandRequest request, ListSessionsCommand command, CancellationToken ct)
    {
        var (context, user, entry, refusal) = await pipeline.DecideOneAsync(request, command.Target, BotAction.ListSessions, ct);
        if (user is null || entry is null)
            return refusal!;

        var sessions = (await pipeline.SessionsOfAsync(context, user, ct)).OrderByDescending(s => s.LastActivityAt).ToArray();
        await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Outcome = AuditOutcome.Done }, ct);

        var now = time.GetUtcNow();
        var idLength = SessionView.ShortIdLength(sessions);
        var expired = sessions.Count(s => s.ExpiresAt > 0 && s.ExpiresAt <= now.ToUnixTimeMilliseconds());
        var label = new UserLabel(user.Username, user.FullName);
        var views = new List<SessionView>();
        var text = replies.RenderFitting(ReplyKind.Sessions, Math.Min(sessions.Length, MaxSessionsShown), shown =>
        {
            while (views.Count < shown)
                views.Add(SessionView.From(sessions[views.Count], idLength, now, context.Reader));
            return new SessionsReply(context.IsSelf(user), label, sessions.Length, views[..shown], sessions.Length - shown, expired);
        }, context.Reader);
        return new BotReply(text, RevokeButtons(context, user, sessions, idLength));
    }

    /// <summary>
    /// One-click revokes for the most recent sessions, and Revoke all; each button is its own signed action. A list takes
    /// no reason, so where one is required (<c>Policy:RequireReason</c>) another person's list has no buttons: the
    /// reply's last line says how to revoke with a command, which takes one.
    /// </summary>
    private Attachment[]? RevokeButtons(TargetContext context, MattermostUser user, IReadOnlyList<MattermostSession> sessions, int idLength)
    {
        var (request, reader) = (context.Request, context.Reader);
        if (!buttons.Enabled || sessions.Count == 0 || PermissionPolicy.LacksRequiredReason(context.Policy, !context.IsSelf(user), request.GivenReason))
            return null;
        var perSession = sessions.Take(revokeButtons).Select((s, i) => buttons.Make($"revoke{i}", reader.Say("button.revoke-session", s.Id[..idLength]), "default",
            buttons.For(BotAction.RevokeSession, request.UserId, [user.Id], s.Id)));
        var all = buttons.Make("revokeall", sessions.Count == 1 ? reader.Say("button.revoke-it") : reader.Say("button.revoke-all", sessions.Count), "danger",
            buttons.For(BotAction.RevokeAll, request.UserId, [user.Id]));
        return [new Attachment("", [.. perSession, all])];
    }
}

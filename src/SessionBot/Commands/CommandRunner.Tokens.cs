using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

public sealed partial class CommandRunner
{
    /// <summary>
    /// <c>/revoke token &lt;id&gt;</c>: revokes a personal access token, which also ends the session using it. The owner is
    /// read from the token; the caller needs the token permission and the owner rule (a bot's: manage (others') bots).
    /// </summary>
    private async Task<string> RevokeTokenAsync(CommandRequest request, RevokeTokenCommand command, CancellationToken ct)
    {
        var context = await PrepareAsync(request, [], UserAction.RevokeToken, ct);
        // Refused before the token is looked up: a caller without the permission learns nothing about it or its owner.
        var byCaller = PermissionPolicy.DecideCaller(context.Caller, UserAction.RevokeToken);
        if (!byCaller.Allowed)
        {
            await RecordAsync(NewEntry(request, "revoke-token", null) with { Decision = AuditDecision.Refused, Reason = byCaller.Reason }, ct);
            return ReplyAndAnnounce(request, new OutcomeReply("revoke-token",
                [new TargetOutcome(OutcomeStatus.Refused, "its owner (not looked up)") { Reason = byCaller.Reason, MissingPermission = byCaller.MissingPermission }]));
        }
        UserAccessToken token;
        try
        {
            token = await mattermost.GetUserAccessTokenAsync(command.TokenId, ct);
        }
        catch (MattermostException e) when (e.StatusCode is 404 or 400)
        {
            // What was typed named no token: it may be a token's value pasted by mistake, so it is not kept.
            await RecordAsync(NewEntry(request, "revoke-token", null) with { Decision = AuditDecision.Refused, Reason = "no such token" }, ct);
            return replies.Render(ReplyKind.Outcome, new OutcomeReply("revoke-token", [new TargetOutcome(OutcomeStatus.NotFound, $"access token {command.TokenId}")]));
        }
        var owner = await mattermost.GetUserAsync(token.UserId, ct);
        var botOwner = owner.IsBot ? (await server.BotsOwnedByAsync(null, ct)).FirstOrDefault(b => b.UserId == owner.Id)?.OwnerId : null;
        var entry = NewEntry(request, "revoke-token", owner, token.Id);
        var decision = PermissionPolicy.Decide(context.Caller, UserAction.RevokeToken, TargetFacts.From(owner), context.Policy, botOwner);
        OutcomeReply reply;
        if (!decision.Allowed)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = decision.Reason }, ct);
            reply = new OutcomeReply("revoke-token", [Outcome(context, OutcomeStatus.Refused, owner) with { Reason = decision.Reason, MissingPermission = decision.MissingPermission }]);
        }
        else
        {
            var outcome = await ChangeAsync(context, owner, entry, async () =>
            {
                await mattermost.RevokeUserAccessTokenAsync(token.Id, ct);
                return Outcome(context, OutcomeStatus.Done, owner) with { SessionId = token.Id[..8], Reason = token.Description };
            }, ct);
            reply = new OutcomeReply("revoke-token", [outcome]);
        }
        return ReplyAndAnnounce(request, reply);
    }

    /// <summary>
    /// <c>/revoke everyone</c>: every session of every user (incident response). Needs manage_system, and always a
    /// confirmation that says who else is signed out.
    /// </summary>
    private async Task<BotReply> RevokeEveryoneAsync(CommandRequest request, bool confirmed, CancellationToken ct)
    {
        var context = await PrepareAsync(request, [], UserAction.RevokeEveryone, ct);
        var entry = NewEntry(request, SignedAction.RevokeEveryone, null);
        var everyone = new MattermostUser { Id = "", Username = "everyone" };
        var decision = PermissionPolicy.Decide(context.Caller, UserAction.RevokeEveryone, null, context.Policy);
        if (!decision.Allowed)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = decision.Reason }, ct);
            return ReplyAndAnnounce(request, new OutcomeReply(SignedAction.RevokeEveryone,
                [new TargetOutcome(OutcomeStatus.Refused, "everyone") { Reason = decision.Reason, MissingPermission = decision.MissingPermission }]));
        }
        if (!confirmed)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = "asked to confirm" }, ct);
            return Confirm(request, new OutcomeReply(SignedAction.RevokeEveryone, [new TargetOutcome(OutcomeStatus.Pending, "everyone")]),
                buttons.For(SignedAction.RevokeEveryone, context.Caller.Id, []));
        }
        var outcome = await ChangeAsync(context, everyone, entry, async () =>
        {
            await mattermost.RevokeEveryonesSessionsAsync(ct);
            return new TargetOutcome(OutcomeStatus.Done, "everyone");
        }, ct);
        return ReplyAndAnnounce(request, new OutcomeReply(SignedAction.RevokeEveryone, [outcome with { User = null }]));
    }
}

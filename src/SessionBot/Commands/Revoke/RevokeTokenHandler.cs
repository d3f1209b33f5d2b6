using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands.Revoke;

/// <summary>
/// <c>/revoke token &lt;id&gt;</c>: revokes a personal access token, which also ends the session using it. The owner is
/// read from the token; the caller needs the token permission and the owner rule (a bot's: manage (others') bots).
/// </summary>
public sealed class RevokeTokenHandler(TargetPipeline pipeline, AuditTrail trail, IMattermostClient mattermost, ServerFacts server, ReplyRenderer replies)
{
    public async Task<BotReply> HandleAsync(CommandRequest request, RevokeTokenCommand command, CancellationToken ct)
    {
        var action = BotAction.RevokeToken;
        var context = await pipeline.ResolveAsync(request, [], action, ct);
        // Refused before the token is looked up: a caller without the permission learns nothing about it or its owner.
        var byCaller = PermissionPolicy.DecideCaller(context.Caller, action);
        if (!byCaller.Allowed)
        {
            await trail.RecordAsync(trail.NewEntry(request, action.Name, null) with { Decision = AuditDecision.Refused, Reason = byCaller.Reason.English }, ct);
            return pipeline.Announce(context, new OutcomeReply(action.Name,
                [new TargetOutcome(OutcomeStatus.Refused, Phrase.Of("label.token-owner")) { Reason = byCaller.Reason, MissingPermission = byCaller.MissingPermission }]));
        }
        UserAccessToken token;
        try
        {
            token = await mattermost.GetUserAccessTokenAsync(command.TokenId, ct);
        }
        catch (MattermostException e) when (e.StatusCode is 404 or 400)
        {
            // What was typed named no token: it may be a token's value pasted by mistake, so it is not kept.
            await trail.RecordAsync(trail.NewEntry(request, action.Name, null) with { Decision = AuditDecision.Refused, Reason = Phrase.Of("reason.no-such-token").English }, ct);
            return new BotReply(replies.Render(ReplyKind.Outcome, new OutcomeReply(action.Name, [new TargetOutcome(OutcomeStatus.NotFound, Phrase.Of("label.access-token", command.TokenId))]), context.Reader));
        }
        var owner = await mattermost.GetUserAsync(token.UserId, ct);
        // Whose token it is decides whether this is self-service, which never needs a reason.
        if (await pipeline.ReasonMissingAsync(context, !context.IsSelf(owner), ct) is { } reasonRequired)
            return reasonRequired;
        var botOwner = owner.IsBot ? (await server.BotsOwnedByAsync(null, ct)).FirstOrDefault(b => b.UserId == owner.Id)?.OwnerId : null;
        var entry = trail.NewEntry(request, action.Name, owner, token.Id);
        var decision = PermissionPolicy.Decide(context.Caller, action, TargetFacts.From(owner), context.Policy, botOwner);
        TargetOutcome outcome;
        if (!decision.Allowed)
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = decision.Reason.English }, ct);
            outcome = context.Outcome(OutcomeStatus.Refused, owner) with { Reason = decision.Reason, MissingPermission = decision.MissingPermission };
        }
        else
        {
            outcome = await trail.ChangeAsync(context, owner, entry, async () =>
            {
                await mattermost.RevokeUserAccessTokenAsync(token.Id, ct);
                return context.Outcome(OutcomeStatus.Done, owner) with { SessionId = token.Id[..8], Reason = Phrase.Verbatim(token.Description) };
            }, ct);
        }
        return pipeline.Announce(context, new OutcomeReply(action.Name, [outcome]));
    }
}

using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands.Revoke;

/// <summary>
/// <c>/revoke everyone</c>, and its Confirm button: every session of every user (incident response). Needs
/// manage_system, and always a confirmation that says who else is signed out.
/// </summary>
public sealed class RevokeEveryoneHandler(TargetPipeline pipeline, AuditTrail trail, Confirmation confirmation, IMattermostClient mattermost)
{
    /// <summary>What replies call the target of this action.</summary>
    private static readonly Phrase Everyone = Phrase.Of("label.everyone");

    public Task<BotReply> HandleAsync(CommandRequest request, RevokeEveryoneCommand command, CancellationToken ct) =>
        RunAsync(request, command.Confirmed, ct);

    /// <summary>A confirmed click, decided again for the clicker now.</summary>
    public Task<BotReply> ClickedAsync(CommandRequest click, CancellationToken ct) => RunAsync(click, confirmed: true, ct);

    private async Task<BotReply> RunAsync(CommandRequest request, bool confirmed, CancellationToken ct)
    {
        var action = BotAction.RevokeEveryone;
        var context = await pipeline.ResolveAsync(request, [], action, ct);
        if (await pipeline.ReasonMissingAsync(context, actsOnOthers: true, ct) is { } reasonRequired)
            return reasonRequired;
        var entry = trail.NewEntry(request, action.Name, null);
        var everyone = new MattermostUser { Id = "", Username = "everyone" };
        var decision = PermissionPolicy.Decide(context.Caller, action, null, context.Policy);
        if (!decision.Allowed)
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = decision.Reason.English }, ct);
            return pipeline.Announce(context, new OutcomeReply(action.Name,
                [new TargetOutcome(OutcomeStatus.Refused, Everyone) { Reason = decision.Reason, MissingPermission = decision.MissingPermission }]));
        }
        if (!confirmed && PermissionPolicy.MustConfirm(action, actsOnOthers: true))
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = Phrase.Of("reason.asked-to-confirm").English }, ct);
            return confirmation.Ask(context, new OutcomeReply(action.Name, [new TargetOutcome(OutcomeStatus.Pending, Everyone)]), action, []);
        }
        var outcome = await trail.ChangeAsync(context, everyone, entry, async () =>
        {
            await mattermost.RevokeEveryonesSessionsAsync(ct);
            return new TargetOutcome(OutcomeStatus.Done, Everyone);
        }, ct);
        return pipeline.Announce(context, new OutcomeReply(action.Name, [outcome with { User = null }]));
    }
}

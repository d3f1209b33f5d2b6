using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Commands.Activate;

/// <summary><c>/activate &lt;target …&gt;</c>, and its Confirm button: reactivates deactivated accounts.</summary>
public sealed class ActivateHandler(TargetPipeline pipeline, AuditTrail trail, IMattermostClient mattermost)
{
    public Task<BotReply> HandleAsync(CommandRequest request, ActivateCommand command, CancellationToken ct) =>
        pipeline.ActOnEachAsync(request, command.Targets, BotAction.Activate, ActivateAsync, PreviewAsync, command.Confirmed, ct);

    /// <summary>A confirmed click: the targets it names, decided again for the clicker now.</summary>
    public Task<BotReply> ClickedAsync(CommandRequest click, IReadOnlyList<TargetRef> targets, CancellationToken ct) =>
        pipeline.ActOnEachAsync(click, targets, BotAction.Activate, ActivateAsync, PreviewAsync, confirmed: true, ct);

    private async Task<TargetOutcome> ActivateAsync(TargetContext context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        if (user.IsActive)
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = Phrase.Of("reason.already-active").English }, ct);
            return context.Outcome(OutcomeStatus.Unchanged, user);
        }
        return await trail.ChangeAsync(context, user, entry, async () =>
        {
            await mattermost.SetActiveAsync(user.Id, true, ct);
            return context.Outcome(OutcomeStatus.Done, user);
        }, ct);
    }

    private static Task<TargetOutcome> PreviewAsync(TargetContext context, MattermostUser user, CancellationToken ct) =>
        Task.FromResult(context.Outcome(user.IsActive ? OutcomeStatus.Unchanged : OutcomeStatus.Pending, user));
}

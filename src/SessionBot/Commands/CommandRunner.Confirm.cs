using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

public sealed partial class CommandRunner
{
    /// <summary>
    /// The confirmation step: decides each target now (refusals are final and said at once), and for the allowed
    /// ones says exactly what will happen, with Confirm / Cancel buttons bound to this caller. Nothing is changed.
    /// </summary>
    private async Task<BotReply> AskToConfirmAsync(Context context, IReadOnlyList<TargetRef> targets, UserAction action, CancellationToken ct)
    {
        var outcomes = new TargetOutcome[targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = bot.BulkConcurrency, CancellationToken = ct },
            async (i, token) => outcomes[i] = await DecideAndActAsync(context, targets[i], action, (ctx, user, entry, t) => DescribeAsync(ctx, user, entry, action, t), token));
        var question = new OutcomeReply(ActionName(action), outcomes);
        var pending = outcomes.Where(o => o.IsPending).Select(o => o.TargetId).ToArray();
        if (pending.Length == 0)
            return ReplyAndAnnounce(context.Request, question);
        ops.Announce(context.Request, question);
        return Confirm(context.Request, question, buttons.For(ActionName(action), context.Caller.Id, pending));
    }

    /// <summary>What the action would do to one allowed target, read (never changed) now.</summary>
    private async Task<TargetOutcome> DescribeAsync(Context context, MattermostUser user, AuditEntry entry, UserAction action, CancellationToken ct)
    {
        var pending = Outcome(context, OutcomeStatus.Pending, user);
        await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = "asked to confirm" }, ct);
        switch (action)
        {
            case UserAction.RevokeAllSessions:
                var count = (await SessionsOfAsync(context, user, ct)).Count;
                return count == 0 ? Outcome(context, OutcomeStatus.Unchanged, user) : pending with { Count = count };
            case UserAction.Deactivate when !user.IsActive:
            case UserAction.Activate when user.IsActive:
                return Outcome(context, OutcomeStatus.Unchanged, user);
            case UserAction.Deactivate:
                return pending with { SsoProvider = SsoProviders.GetValueOrDefault(user.AuthService, ""), OwnedBots = await OwnedBotNamesAsync(user.Id, ct) };
            default:
                return pending;
        }
    }

    private BotReply Confirm(CommandRequest request, OutcomeReply question, SignedAction action)
    {
        var retype = $"/{request.Trigger} {request.Text.Trim()} --yes";
        var text = replies.Render(ReplyKind.Confirm, new ConfirmReply(question, buttons.Enabled, retype, (int)Math.Ceiling(buttons.Lifetime.TotalMinutes)));
        if (!buttons.Enabled)
            return text;
        var confirm = buttons.Make("confirm", "Confirm", "danger", action);
        var cancel = buttons.Make("cancel", "Cancel", "default", action with { Action = SignedAction.Cancel });
        return new BotReply(text, [new Attachment("", [confirm, cancel])]);
    }
}

using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands.Help;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// The steps every command about users shares: resolve → (reason required?) → decide → confirm? → record → act →
/// complete → announce (the ops channel, and a direct message to each person acted on).
/// Every policy question goes to <see cref="PermissionPolicy"/>; a handler supplies only what its action does to one
/// allowed target (<see cref="TargetAct"/>) and, when it asks first, what it would do (<see cref="TargetPreview"/>).
/// </summary>
public sealed class TargetPipeline(TargetResolver resolver, AuditTrail trail, Confirmation confirmation, OpsChannel ops, AffectedPeople people,
    UsageHandler usage, ReplyRenderer replies, IOptions<BotOptions> botOptions, Metrics.BotMetrics metrics, ILogger<TargetPipeline> logger)
{
    private readonly int concurrency = botOptions.Value.BulkConcurrency;

    /// <inheritdoc cref="TargetResolver.ResolveAsync"/>
    public Task<TargetContext> ResolveAsync(CommandRequest request, IReadOnlyCollection<TargetRef> targets, BotAction action, CancellationToken ct) =>
        resolver.ResolveAsync(request, targets, action, ct);

    /// <inheritdoc cref="TargetResolver.SessionsOfAsync"/>
    public Task<IReadOnlyList<MattermostSession>> SessionsOfAsync(TargetContext context, MattermostUser user, CancellationToken ct) =>
        resolver.SessionsOfAsync(context, user, ct);

    /// <summary>
    /// Decides and acts on each target on its own, a few at a time; one refusal or failure does not stop the rest.
    /// The same person named several ways is one target. Unless already confirmed, asks first when the policy says so.
    /// </summary>
    public async Task<BotReply> ActOnEachAsync(CommandRequest request, IReadOnlyList<TargetRef> named, BotAction action, TargetAct act, TargetPreview preview,
        bool confirmed, CancellationToken ct)
    {
        var context = await resolver.ResolveAsync(request, named, action, ct);
        var targets = named.DistinctBy(t => context.Users[t]?.Id ?? (t.Kind == TargetKind.Me ? request.UserId : "not found: " + t)).ToArray();
        var actsOnOthers = targets.Any(t => context.Users[t] is { } user && !context.IsSelf(user));
        if (await ReasonMissingAsync(context, actsOnOthers, ct) is { } reasonRequired)
            return reasonRequired;
        if (!confirmed && PermissionPolicy.MustConfirm(action, actsOnOthers))
            return await AskToConfirmAsync(context, targets, action, preview, ct);
        var outcomes = new TargetOutcome[targets.Length];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Length),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                outcomes[i] = await DecideAndActAsync(context, targets[i], action, act, token);
                request.Progress?.Report((Interlocked.Increment(ref done), targets.Length));
            });
        return Announce(context, new OutcomeReply(action.Name, outcomes));
    }

    /// <summary>
    /// Resolves and decides one target through the same path as every action: a missing user or a refusal is
    /// recorded, announced when it concerns someone else, and returned as the reply.
    /// </summary>
    public async Task<OneTarget> DecideOneAsync(CommandRequest request, TargetRef target, BotAction action, CancellationToken ct)
    {
        var context = await resolver.ResolveAsync(request, [target], action, ct);
        (MattermostUser User, AuditEntry Entry)? allowed = null;
        var outcome = await DecideAndActAsync(context, target, action, (_, user, entry, _) =>
        {
            allowed = (user, entry);
            return Task.FromResult(new TargetOutcome(OutcomeStatus.Pending, ""));
        }, ct);
        return allowed is { } yes
            ? new OneTarget(context, yes.User, yes.Entry, null)
            : new OneTarget(context, null, null, Announce(context, new OutcomeReply(action.Name, [outcome])));
    }

    /// <summary>Decides one target and, when allowed, acts on it; a missing user or a refusal is recorded and said.</summary>
    public async Task<TargetOutcome> DecideAndActAsync(TargetContext context, TargetRef target, BotAction action, TargetAct act, CancellationToken ct)
    {
        var user = context.UserFor(target);
        var entry = trail.NewEntry(context.Request, action.Name, user, resolved: context.ResolvedIds);
        if (user is null)
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = Phrase.Of("reason.no-user", target.ToString()).English }, ct);
            return new TargetOutcome(OutcomeStatus.NotFound, target.ToString());
        }
        var refusal = await RefuseUnlessAllowedAsync(context, action, user, entry, ct);
        return refusal ?? await act(context, user, entry, ct);
    }

    /// <summary>
    /// When <c>Policy:RequireReason</c> wants a reason this command acting on someone else lacks: the usage reply (the
    /// command is recorded as such, and nothing is done). Null when it may go on.
    /// </summary>
    /// <param name="actsOnOthers">Some target is a person other than the caller (every user, for revoke everyone).</param>
    public async Task<BotReply?> ReasonMissingAsync(TargetContext context, bool actsOnOthers, CancellationToken ct) =>
        PermissionPolicy.LacksRequiredReason(context.Policy, actsOnOthers, context.Request.GivenReason)
            ? await usage.HandleAsync(context.Request, CommandParser.Usage(Phrase.Of("usage.reason-required", ReasonOption.Flag)), ct)
            : null;

    /// <summary>
    /// Announces the outcome in the ops channel (when worth it), starts the direct message to each person acted on by
    /// someone else (when the action tells them), and renders the outcome as the reply, for its reader. Neither post
    /// delays the reply.
    /// </summary>
    public BotReply Announce(TargetContext context, OutcomeReply outcome)
    {
        outcome = outcome with { GivenReason = context.Request.GivenReason };
        ops.Announce(context.Request, outcome);
        people.Tell(context, outcome);
        Count(outcome);
        return new BotReply(replies.Render(ReplyKind.Outcome, outcome, context.Reader)) { Outcome = Summary(outcome) };
    }

    private void Count(OutcomeReply outcome)
    {
        foreach (var target in outcome.Targets)
            metrics.TargetActedOn(outcome.Action, Metrics.BotMetrics.Word(target.Status), target.IsRefused ? target.MissingPermission ?? "policy" : null);
    }

    /// <summary>The command's outcome in one word: what happened to the target that went furthest.</summary>
    private static string Summary(OutcomeReply outcome) => outcome.Targets.Select(t => t.Status).DefaultIfEmpty(OutcomeStatus.Unchanged)
        .OrderBy(status => status switch
        {
            OutcomeStatus.Done => 0,
            OutcomeStatus.Unknown => 1,
            OutcomeStatus.Failed or OutcomeStatus.NotRecorded => 2,
            OutcomeStatus.Pending => 3,
            OutcomeStatus.Refused => 4,
            _ => 5,
        })
        .Select(status => status == OutcomeStatus.Pending ? "asked_to_confirm" : Metrics.BotMetrics.Word(status)).First();

    /// <summary>Applies the policy; a refusal is recorded and returned, and nothing about the target is shown or changed.</summary>
    private async Task<TargetOutcome?> RefuseUnlessAllowedAsync(TargetContext context, BotAction action, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        var decision = PermissionPolicy.Decide(context.Caller, action, TargetFacts.From(user), context.Policy);
        if (decision.Allowed)
            return null;
        logger.LogInformation("Refused {Action} by {CallerId} on {TargetId}: missing {Permission}.", entry.Action, context.Caller.Id, user.Id, decision.MissingPermission ?? "-");
        await trail.RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = decision.Reason.English }, ct);
        return context.Outcome(OutcomeStatus.Refused, user) with { Reason = decision.Reason, MissingPermission = decision.MissingPermission };
    }

    /// <summary>
    /// The confirmation step: decides each target now (refusals are final and said at once), and for the allowed
    /// ones says exactly what will happen, with Confirm / Cancel buttons bound to this caller. Nothing is changed.
    /// </summary>
    private async Task<BotReply> AskToConfirmAsync(TargetContext context, IReadOnlyList<TargetRef> targets, BotAction action, TargetPreview preview, CancellationToken ct)
    {
        var outcomes = new TargetOutcome[targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (i, token) => outcomes[i] = await DecideAndActAsync(context, targets[i], action, async (ctx, user, entry, t) =>
            {
                await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = Phrase.Of("reason.asked-to-confirm").English }, t);
                return await preview(ctx, user, t);
            }, token));
        var question = new OutcomeReply(action.Name, outcomes) { GivenReason = context.Request.GivenReason };
        var pending = outcomes.Where(o => o.IsPending).Select(o => o.TargetId).ToArray();
        if (pending.Length == 0)
            return Announce(context, question);
        ops.Announce(context.Request, question);
        Count(question);
        return confirmation.Ask(context, question, action, pending) with { Outcome = "asked_to_confirm" };
    }
}

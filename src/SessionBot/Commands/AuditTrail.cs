using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// The audit records of commands: what changed nothing is recorded at once; a change is recorded before Mattermost is
/// called (no record, no change) and completed after.
/// </summary>
public sealed class AuditTrail(IAuditStore audit, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <param name="action">The audit name: a <see cref="Actions.BotAction.Name"/>, or what a command without an action records (help, usage).</param>
    /// <param name="resolved">What the command's words turned out to name (see <see cref="AuditText.Of"/>); the target and detail count too.</param>
    public AuditEntry NewEntry(CommandRequest request, string action, MattermostUser? target, string? detail = null, IReadOnlySet<string>? resolved = null) => new()
    {
        At = time.GetUtcNow(),
        CallerId = request.UserId,
        CallerUsername = request.UserName,
        ChannelId = request.ChannelId,
        Source = request.Source,
        CommandText = AuditText.Of(request.Trigger, request.Text, Known(resolved, target?.Id, detail)),
        Action = action,
        TargetId = target?.Id,
        TargetUsername = target?.Username,
        Detail = detail,
        Outcome = AuditOutcome.None,
        GivenReason = request.GivenReason.Length > 0 ? request.GivenReason : null,
    };

    /// <summary>The entry, now naming <paramref name="detail"/> (a session found), which its command text may then show.</summary>
    public static AuditEntry WithDetail(TargetContext context, AuditEntry entry, string detail) => entry with
    {
        Detail = detail,
        CommandText = AuditText.Of(context.Request.Trigger, context.Request.Text, Known(context.ResolvedIds, entry.TargetId, detail)),
    };

    private static HashSet<string> Known(IReadOnlySet<string>? resolved, params string?[] more) =>
        new((resolved ?? new HashSet<string>()).Concat(more.OfType<string>()).Select(id => id.ToLowerInvariant()));

    /// <summary>Records something that changed nothing; a store failure is logged, never shown as the command failing.</summary>
    public async Task RecordAsync(AuditEntry entry, CancellationToken ct)
    {
        try
        {
            await audit.AppendAsync(entry, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The audit record for {Action} could not be written.", entry.Action);
        }
    }

    /// <summary>
    /// Runs one changing Mattermost call: the audit record is committed first (no record, no change), then the call,
    /// then the record is completed. A failure says whether anything may have changed.
    /// </summary>
    /// <param name="explain">Turns a refusal by Mattermost into the outcome to report instead of a failure (the record still says failed).</param>
    public async Task<TargetOutcome> ChangeAsync(TargetContext context, MattermostUser user, AuditEntry entry, Func<Task<TargetOutcome>> change, CancellationToken ct,
        Func<MattermostException, TargetOutcome?>? explain = null)
    {
        try
        {
            await audit.AppendAsync(entry with { Decision = AuditDecision.Allowed, Outcome = AuditOutcome.Started }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The audit record for {Action} on {TargetId} could not be written; the action was not performed.", entry.Action, user.Id);
            return context.Outcome(OutcomeStatus.NotRecorded, user);
        }

        TargetOutcome outcome;
        AuditOutcome recorded;
        string? errorId = null;
        try
        {
            outcome = await change();
            recorded = AuditOutcome.Done;
        }
        catch (MattermostException e)
        {
            logger.LogWarning("{Action} on {TargetId} failed: {Failure} {Status} {ErrorId}.", entry.Action, user.Id, e.Failure, e.StatusCode, e.ErrorId);
            recorded = e.NothingChanged ? AuditOutcome.Failed : AuditOutcome.Unknown;
            errorId = e.ErrorId.Length > 0 ? e.ErrorId : e.StatusCode > 0 ? $"http-{e.StatusCode}" : e.Failure.ToString().ToLowerInvariant();
            outcome = (e.NothingChanged ? explain?.Invoke(e) : null)
                ?? context.Outcome(e.NothingChanged ? OutcomeStatus.Failed : OutcomeStatus.Unknown, user) with { Reason = DescribeChangeFailure(e), ErrorId = e.ErrorId };
        }
        try
        {
            await audit.CompleteAsync(entry.Id, recorded, errorId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The record stays "started", which is honest: the outcome could not be written.
            logger.LogError(e, "The audit record {EntryId} could not be completed.", entry.Id);
        }
        return outcome;
    }

    /// <summary>Clears the detail of a record whose id named nothing (it may have been a token pasted by mistake).</summary>
    public async Task ForgetDetailAsync(Guid entryId)
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

    private static Phrase DescribeChangeFailure(MattermostException e) => Phrase.Of(e.Failure switch
    {
        MattermostFailure.Unreachable => "change.unreachable",
        MattermostFailure.TimedOut => "change.timed-out",
        MattermostFailure.ServerError => "change.server-error",
        _ when e.StatusCode == 403 => "change.bot-permission",
        _ when e.StatusCode == 401 => "change.bot-token",
        _ when e.StatusCode == 429 => "change.rate-limited",
        _ => "change.refused",
    });
}

using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// Carries out one verified command: parse → resolve caller and targets (in parallel) → decide → act → audit →
/// render. Returns the reply's Markdown. Each command's handling lives in its own file beside this one.
/// </summary>
public sealed partial class CommandRunner(
    IMattermostClient mattermost,
    UserDirectory users,
    RoleCache roles,
    ServerFacts server,
    ReplyRenderer replies,
    IAuditStore audit,
    OpsChannel ops,
    Buttons buttons,
    IOptions<PolicyOptions> policyOptions,
    IOptions<BotOptions> botOptions,
    TimeProvider time,
    ILogger<CommandRunner> logger)
{
    private readonly PolicyOptions policy = policyOptions.Value;
    private readonly BotOptions bot = botOptions.Value;
    private readonly HashSet<string> protectedUsers = new(policyOptions.Value.ProtectedUsers.Select(PolicyOptions.Normalize).OfType<string>());

    public async Task<BotReply> RunAsync(CommandRequest request, CancellationToken ct)
    {
        var command = CommandParser.Parse(request.Trigger, request.Text, policy.MaxTargets);
        return await GuardAsync(request, ct => command switch
        {
            HelpCommand => Text(HelpAsync(request, ct)),
            UsageError usage => Text(UsageAsync(request, usage, ct)),
            ListSessionsCommand list => ListSessionsAsync(request, list, ct),
            AuditLogCommand auditLog => Text(AuditLogAsync(request, auditLog, ct)),
            RevokeSessionCommand revoke => Text(RevokeSessionAsync(request, revoke, ct)),
            RevokeAllCommand revokeAll => ActOnEachAsync(request, revokeAll.Targets, UserAction.RevokeAllSessions, RevokeAllOfAsync, command.Confirmed, ct),
            DeactivateCommand deactivate => ActOnEachAsync(request, deactivate.Targets, UserAction.Deactivate, DeactivateAsync, command.Confirmed, ct),
            ActivateCommand activate => ActOnEachAsync(request, activate.Targets, UserAction.Activate, ActivateAsync, command.Confirmed, ct),
            RevokeTokenCommand token => Text(RevokeTokenAsync(request, token, ct)),
            RevokeEveryoneCommand => RevokeEveryoneAsync(request, command.Confirmed, ct),
            _ => throw new InvalidOperationException($"No handler for {command.GetType().Name}."),
        }, ct);
    }

    /// <summary>
    /// A button click whose signature, expiry, clicker and single use were already checked: runs the action it
    /// stands for, deciding the permissions again for the clicker, now.
    /// </summary>
    public Task<BotReply> RunActionAsync(SignedAction action, CommandRequest click, CancellationToken ct)
    {
        var targets = action.TargetIds.Select(id => new TargetRef(TargetKind.UserId, id)).ToArray();
        return GuardAsync(click, ct => action.Action switch
        {
            SignedAction.RevokeAll => ActOnEachAsync(click, targets, UserAction.RevokeAllSessions, RevokeAllOfAsync, confirmed: true, ct),
            SignedAction.Deactivate => ActOnEachAsync(click, targets, UserAction.Deactivate, DeactivateAsync, confirmed: true, ct),
            SignedAction.Activate => ActOnEachAsync(click, targets, UserAction.Activate, ActivateAsync, confirmed: true, ct),
            SignedAction.RevokeSession when targets.Length == 1 =>
                Text(RevokeSessionAsync(click, new RevokeSessionCommand(action.Detail, targets[0]) { Trigger = Triggers.Revoke }, ct)),
            SignedAction.RevokeEveryone => RevokeEveryoneAsync(click, confirmed: true, ct),
            _ => Task.FromResult<BotReply>(replies.Render(ReplyKind.Click, new ClickReply("Cancelled."))),
        }, ct);
    }

    private static async Task<BotReply> Text(Task<string> text) => await text;

    private async Task<BotReply> GuardAsync(CommandRequest request, Func<CancellationToken, Task<BotReply>> handle, CancellationToken ct)
    {
        try
        {
            return await handle(ct);
        }
        catch (MattermostException e)
        {
            // Only look-ups get here: every changing call reports its own failure per target.
            logger.LogWarning("/{Trigger} by {UserId}: a Mattermost look-up failed ({Failure}, {Status}, {ErrorId}).",
                request.Trigger, request.UserId, e.Failure, e.StatusCode, e.ErrorId);
            return replies.Render(ReplyKind.Failure, new FailureReply(DescribeLookupFailure(e), NothingChanged: true));
        }
    }

    /// <summary>What every handler needs once the users are known.</summary>
    private sealed record Context(CommandRequest Request, Caller Caller, PolicyContext Policy, ResolvedUsers Users, SessionsRead? OwnSessions)
    {
        public bool IsSelf(MattermostUser user) => user.Id == Request.UserId;

        /// <summary>The users the command's words turned out to name: their ids are kept in the audit record's command text.</summary>
        public IReadOnlySet<string> ResolvedIds { get; } = new HashSet<string>(Users.Targets.Values.OfType<MattermostUser>().Select(u => u.Id));

        /// <summary>The caller's own sessions, when they were read alongside the look-ups.</summary>
        public Task<IReadOnlyList<MattermostSession>>? OwnSessionsOf(MattermostUser user) => IsSelf(user) ? OwnSessions?.Sessions : null;
    }

    /// <summary>The caller's own sessions, read at the same time as the look-ups.</summary>
    private sealed record SessionsRead(Task<IReadOnlyList<MattermostSession>> Sessions);

    /// <summary>
    /// The user's sessions: the caller's own as read alongside the look-ups, else read now. Called only once the caller
    /// was allowed: nothing about another person is read before the decision.
    /// </summary>
    private Task<IReadOnlyList<MattermostSession>> SessionsOfAsync(Context context, MattermostUser user, CancellationToken ct) =>
        context.OwnSessionsOf(user) ?? mattermost.GetSessionsAsync(user.Id, ct);

    /// <summary>
    /// For a command on one's own sessions, starts reading them now, so the command waits on one round trip fewer.
    /// Only the caller's own: anyone may read those, so nothing is read that a refusal would have to discard. Whose
    /// sessions are meant is judged from the request alone (<c>me</c>, the caller's id, or a mention Mattermost resolved to
    /// the caller), never from a look-up.
    /// </summary>
    private SessionsRead? ReadOwnSessionsAhead(CommandRequest request, IReadOnlyCollection<TargetRef> targets, UserAction action, CancellationToken ct)
    {
        if (action is not (UserAction.ListSessions or UserAction.RevokeSession or UserAction.RevokeAllSessions) || targets.Count != 1
            || UserDirectory.KnownId(targets.First(), request.UserId, request.MentionIds) != request.UserId)
            return null;
        var reading = mattermost.GetSessionsAsync(request.UserId, ct);
        _ = reading.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return new SessionsRead(reading);
    }

    /// <summary>
    /// Resolves the caller and targets, the bot's id and (for deactivation) the server setting, all at once; reads the
    /// caller's permissions only when a rule can need them (acting on oneself's sessions never does).
    /// </summary>
    private async Task<Context> PrepareAsync(CommandRequest request, IReadOnlyCollection<TargetRef> targets, UserAction action, CancellationToken ct)
    {
        var changesAccounts = action is UserAction.Deactivate or UserAction.Activate or UserAction.RevokeEveryone or UserAction.RevokeToken;
        var needCaller = changesAccounts || targets.Any(t => t.Kind != TargetKind.Me);
        var ownSessions = ReadOwnSessionsAhead(request, targets, action, ct);
        var resolving = users.ResolveAsync(request.UserId, needCaller, targets, request.MentionIds, ct);
        var botId = server.BotUserIdAsync(ct);
        var selfDeactivation = action == UserAction.Deactivate ? server.SelfDeactivationEnabledAsync(ct) : Task.FromResult(false);
        await Task.WhenAll(resolving, botId, selfDeactivation);

        var resolved = await resolving;
        var needPermissions = changesAccounts || resolved.Targets.Values.Any(u => u is not null && u.Id != request.UserId);
        IReadOnlySet<string> permissions = new HashSet<string>();
        if (needPermissions)
        {
            var callerUser = resolved.Caller
                ?? throw new MattermostException(MattermostFailure.Rejected, 404, "", "Mattermost does not know the calling user.");
            permissions = await roles.PermissionsOfAsync(callerUser.RoleNames, ct);
        }
        var caller = new Caller(request.UserId, request.UserName, permissions);
        return new Context(request, caller, new PolicyContext(await botId, protectedUsers, await selfDeactivation), resolved, ownSessions);
    }

    /// <summary>The caller stands for a target that needs no look-up: "me" in a self-service command.</summary>
    private static MattermostUser Myself(CommandRequest request) => new() { Id = request.UserId, Username = request.UserName };

    private delegate Task<TargetOutcome> TargetAction(Context context, MattermostUser target, AuditEntry entry, CancellationToken ct);

    /// <summary>
    /// Decides and acts on each target on its own, a few at a time; one refusal or failure does not stop the rest.
    /// The same person named several ways is one target. Acting on other people (and deactivating oneself) first asks
    /// for confirmation, unless already confirmed.
    /// </summary>
    private async Task<BotReply> ActOnEachAsync(CommandRequest request, IReadOnlyList<TargetRef> named, UserAction action, TargetAction act, bool confirmed, CancellationToken ct)
    {
        var context = await PrepareAsync(request, named, action, ct);
        var targets = named.DistinctBy(t => context.Users[t]?.Id ?? (t.Kind == TargetKind.Me ? request.UserId : "not found: " + t)).ToArray();
        var asksFirst = action is UserAction.Deactivate or UserAction.Activate
            || targets.Any(t => context.Users[t] is { } user && !context.IsSelf(user));
        if (!confirmed && asksFirst)
            return await AskToConfirmAsync(context, targets, action, ct);
        var outcomes = new TargetOutcome[targets.Length];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Length),
            new ParallelOptions { MaxDegreeOfParallelism = bot.BulkConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                outcomes[i] = await DecideAndActAsync(context, targets[i], action, act, token);
                request.Progress?.Report((Interlocked.Increment(ref done), targets.Length));
            });
        return ReplyAndAnnounce(request, new OutcomeReply(ActionName(action), outcomes));
    }

    private string ReplyAndAnnounce(CommandRequest request, OutcomeReply outcome)
    {
        ops.Announce(request, outcome);
        return replies.Render(ReplyKind.Outcome, outcome);
    }

    private async Task<TargetOutcome> DecideAndActAsync(Context context, TargetRef target, UserAction action, TargetAction act, CancellationToken ct)
    {
        var user = context.Users[target] ?? (target.Kind == TargetKind.Me ? Myself(context.Request) : null);
        var entry = NewEntry(context.Request, ActionName(action), user, resolved: context.ResolvedIds);
        if (user is null)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = $"no user {target}" }, ct);
            return new TargetOutcome(OutcomeStatus.NotFound, target.ToString());
        }
        var refusal = await RefuseUnlessAllowedAsync(context, action, user, entry, ct);
        return refusal ?? await act(context, user, entry, ct);
    }

    /// <summary>The one target of a read: allowed (with its audit entry), or the reply that says why not.</summary>
    private sealed record OneTarget(Context Context, MattermostUser? User, AuditEntry? Entry, string? Refusal);

    /// <summary>
    /// Resolves and decides one target through the same path as every action: a missing user or a refusal is
    /// recorded, announced when it concerns someone else, and returned as the reply.
    /// </summary>
    private async Task<OneTarget> DecideOneAsync(CommandRequest request, TargetRef target, UserAction action, CancellationToken ct)
    {
        var context = await PrepareAsync(request, [target], action, ct);
        (MattermostUser User, AuditEntry Entry)? allowed = null;
        var outcome = await DecideAndActAsync(context, target, action, (_, user, entry, _) =>
        {
            allowed = (user, entry);
            return Task.FromResult(new TargetOutcome(OutcomeStatus.Pending, ""));
        }, ct);
        return allowed is { } yes
            ? new OneTarget(context, yes.User, yes.Entry, null)
            : new OneTarget(context, null, null, ReplyAndAnnounce(request, new OutcomeReply(ActionName(action), [outcome])));
    }

    /// <summary>Applies the policy; a refusal is recorded and returned, and nothing about the target is shown or changed.</summary>
    private async Task<TargetOutcome?> RefuseUnlessAllowedAsync(Context context, UserAction action, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        var decision = PermissionPolicy.Decide(context.Caller, action, TargetFacts.From(user), context.Policy);
        if (decision.Allowed)
            return null;
        logger.LogInformation("Refused {Action} by {CallerId} on {TargetId}: missing {Permission}.", entry.Action, context.Caller.Id, user.Id, decision.MissingPermission ?? "-");
        await RecordAsync(entry with { Decision = AuditDecision.Refused, Reason = decision.Reason }, ct);
        return Outcome(context, OutcomeStatus.Refused, user) with { Reason = decision.Reason, MissingPermission = decision.MissingPermission };
    }

    private static TargetOutcome Outcome(Context context, OutcomeStatus status, MattermostUser user) =>
        new(status, "@" + user.Username) { User = new UserLabel(user.Username, user.FullName), IsSelf = context.IsSelf(user), TargetId = user.Id };

    /// <summary>
    /// Runs one changing Mattermost call: the audit record is committed first (no record, no change), then the call,
    /// then the record is completed. A failure says whether anything may have changed.
    /// </summary>
    /// <param name="explain">Turns a refusal by Mattermost into the outcome to report instead of a failure (the record still says failed).</param>
    private async Task<TargetOutcome> ChangeAsync(Context context, MattermostUser user, AuditEntry entry, Func<Task<TargetOutcome>> change, CancellationToken ct,
        Func<MattermostException, TargetOutcome?>? explain = null)
    {
        try
        {
            await audit.AppendAsync(entry with { Decision = AuditDecision.Allowed, Outcome = AuditOutcome.Started }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The audit record for {Action} on {TargetId} could not be written; the action was not performed.", entry.Action, user.Id);
            return Outcome(context, OutcomeStatus.NotRecorded, user);
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
                ?? Outcome(context, e.NothingChanged ? OutcomeStatus.Failed : OutcomeStatus.Unknown, user) with { Reason = DescribeChangeFailure(e), ErrorId = e.ErrorId };
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

    /// <param name="resolved">What the command's words turned out to name (see <see cref="AuditText.Of"/>); the target and detail count too.</param>
    private AuditEntry NewEntry(CommandRequest request, string action, MattermostUser? target, string? detail = null, IReadOnlySet<string>? resolved = null) => new()
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
    };

    /// <summary>The entry, now naming <paramref name="detail"/> (a session found), which its command text may then show.</summary>
    private static AuditEntry WithDetail(Context context, AuditEntry entry, string detail) => entry with
    {
        Detail = detail,
        CommandText = AuditText.Of(context.Request.Trigger, context.Request.Text, Known(context.ResolvedIds, entry.TargetId, detail)),
    };

    private static HashSet<string> Known(IReadOnlySet<string>? resolved, params string?[] more) =>
        new((resolved ?? new HashSet<string>()).Concat(more.OfType<string>()).Select(id => id.ToLowerInvariant()));

    /// <summary>Records something that changed nothing; a store failure is logged, never shown as the command failing.</summary>
    private async Task RecordAsync(AuditEntry entry, CancellationToken ct)
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

    private static string ActionName(UserAction action) => action switch
    {
        UserAction.ListSessions => "list-sessions",
        UserAction.ReadAudit => "read-audit",
        UserAction.RevokeSession => "revoke-session",
        UserAction.RevokeAllSessions => "revoke-all",
        UserAction.Deactivate => "deactivate",
        UserAction.Activate => "activate",
        UserAction.RevokeToken => "revoke-token",
        _ => SignedAction.RevokeEveryone,
    };

    private static string DescribeLookupFailure(MattermostException e) => e.Failure switch
    {
        MattermostFailure.Unreachable => "SessionBot could not reach Mattermost.",
        MattermostFailure.TimedOut => "Mattermost did not answer SessionBot in time.",
        MattermostFailure.ServerError => "Mattermost had an internal error while SessionBot was looking things up.",
        _ when e.StatusCode == 401 => "Mattermost does not accept SessionBot's own token: an admin needs to check `Mattermost:BotToken`.",
        _ when e.StatusCode == 429 => "Mattermost is rate limiting SessionBot: try again in a minute.",
        _ => $"Mattermost refused a look-up ({e.ErrorId}).",
    };

    private static string DescribeChangeFailure(MattermostException e) => e.Failure switch
    {
        MattermostFailure.Unreachable => "SessionBot could not reach Mattermost",
        MattermostFailure.TimedOut => "Mattermost did not answer in time.",
        MattermostFailure.ServerError => "Mattermost had an internal error.",
        _ when e.StatusCode == 403 => "Mattermost refused: the bot account lacks a permission (it needs the system admin role)",
        _ when e.StatusCode == 401 => "Mattermost refused SessionBot's own token",
        _ when e.StatusCode == 429 => "Mattermost is rate limiting SessionBot; try again in a minute",
        _ => "Mattermost refused the change",
    };
}

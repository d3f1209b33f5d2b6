using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// What every step after resolving needs: the request, the caller and their permissions, server facts, the users named,
/// and who reads the replies (the caller in their language and zone, or everyone in the channel).
/// </summary>
/// <param name="OwnSessions">The caller's own sessions, when they were read alongside the look-ups.</param>
public sealed record TargetContext(CommandRequest Request, Caller Caller, PolicyContext Policy, ResolvedUsers Users, Task<IReadOnlyList<MattermostSession>>? OwnSessions, Reader Reader)
{
    public bool IsSelf(MattermostUser user) => user.Id == Request.UserId;

    /// <summary>The users the command's words turned out to name: their ids are kept in the audit record's command text.</summary>
    public IReadOnlySet<string> ResolvedIds { get; } = new HashSet<string>(Users.Targets.Values.OfType<MattermostUser>().Select(u => u.Id));

    /// <summary>The caller's own sessions, when they were read alongside the look-ups.</summary>
    public Task<IReadOnlyList<MattermostSession>>? OwnSessionsOf(MattermostUser user) => IsSelf(user) ? OwnSessions : null;

    /// <summary>The user a target stands for; "me" needs no look-up in a self-service command, so it stands for the caller.</summary>
    public MattermostUser? UserFor(TargetRef target) =>
        Users[target] ?? (target.Kind == TargetKind.Me ? new MattermostUser { Id = Request.UserId, Username = Request.UserName } : null);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MattermostUser> outcomesOf = new(StringComparer.Ordinal);

    /// <summary>A target's result, naming the user as replies show them.</summary>
    public TargetOutcome Outcome(OutcomeStatus status, MattermostUser user)
    {
        outcomesOf[user.Id] = user;
        return new(status, "@" + user.Username) { User = new UserLabel(user.Username, user.FullName), IsSelf = IsSelf(user), TargetId = user.Id, IsBot = user.IsBot };
    }

    /// <summary>The user object a target's result was made from (its language and zone say how to write to them); null when none was.</summary>
    public MattermostUser? UserOf(TargetOutcome outcome) => outcomesOf.GetValueOrDefault(outcome.TargetId);
}

/// <summary>
/// What a command does to one allowed target: makes the change through <see cref="AuditTrail.ChangeAsync"/> (record first,
/// complete after), or records why nothing needed changing.
/// </summary>
public delegate Task<TargetOutcome> TargetAct(TargetContext context, MattermostUser target, AuditEntry entry, CancellationToken ct);

/// <summary>What a command would do to one allowed target, read (never changed) now, for the confirmation question.</summary>
public delegate Task<TargetOutcome> TargetPreview(TargetContext context, MattermostUser target, CancellationToken ct);

/// <summary>The one target of a read: allowed (with its audit entry), or the reply that says why not.</summary>
public sealed record OneTarget(TargetContext Context, MattermostUser? User, AuditEntry? Entry, BotReply? Refusal);

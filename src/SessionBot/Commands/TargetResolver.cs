using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// The first step of every command about users: resolves the caller and the targets, the bot's id and (when the decision
/// reads it) the server's self-deactivation setting, all at once; reads the caller's permissions only when
/// <see cref="PermissionPolicy.NeedsCallerPermissions"/> says a decision can need them. Who reads the replies comes from
/// the same round trip: the caller's user (their language and zone) is among the users looked up, and a webhook's
/// channel reads the server's default language from the client config, read alongside.
/// </summary>
public sealed class TargetResolver(IMattermostClient mattermost, UserDirectory users, RoleCache roles, ServerFacts server, Readers readers,
    IOptions<PolicyOptions> policyOptions)
{
    private readonly HashSet<string> protectedUsers = new(policyOptions.Value.ProtectedUsers.Select(PolicyOptions.Normalize).OfType<string>());
    private readonly bool requireReason = policyOptions.Value.RequireReason;

    public async Task<TargetContext> ResolveAsync(CommandRequest request, IReadOnlyCollection<TargetRef> targets, BotAction action, CancellationToken ct)
    {
        // The caller is looked up alongside the targets (and their own sessions) whenever their roles may be needed, or
        // their language and zone are: that costs no round trip.
        var needCaller = request.Audience == Audience.Caller || PermissionPolicy.NeedsCallerPermissions(action, onlyOwn: targets.All(t => t.Kind == TargetKind.Me));
        var ownSessions = ReadOwnSessionsAhead(request, targets, action, ct);
        var resolving = users.ResolveAsync(request.UserId, needCaller, targets, request.MentionIds, ct);
        var botId = server.BotUserIdAsync(ct);
        var selfDeactivation = PermissionPolicy.NeedsSelfDeactivationSetting(action) ? server.SelfDeactivationEnabledAsync(ct) : Task.FromResult(false);
        var reading = readers.StartReading(request, ct);
        await Task.WhenAll(resolving, botId, selfDeactivation, reading ?? Task.CompletedTask);

        var resolved = await resolving;
        var onlyOwn = resolved.Targets.Values.All(u => u is null || u.Id == request.UserId);
        IReadOnlySet<string> permissions = new HashSet<string>();
        if (PermissionPolicy.NeedsCallerPermissions(action, onlyOwn))
        {
            var callerUser = resolved.Caller
                ?? throw new MattermostException(MattermostFailure.Rejected, 404, "", "Mattermost does not know the calling user.");
            permissions = await roles.PermissionsOfAsync(callerUser.RoleNames, ct);
        }
        var caller = new Caller(request.UserId, request.UserName, permissions);
        var reader = await readers.OfCommandAsync(request, reading, resolved.Caller);
        return new TargetContext(request, caller, new PolicyContext(await botId, protectedUsers, await selfDeactivation) { RequireReason = requireReason }, resolved, ownSessions, reader);
    }

    /// <summary>
    /// The user's sessions: the caller's own as read alongside the look-ups, else read now. Called only once the caller
    /// was allowed: nothing about another person is read before the decision.
    /// </summary>
    public Task<IReadOnlyList<MattermostSession>> SessionsOfAsync(TargetContext context, MattermostUser user, CancellationToken ct) =>
        context.OwnSessionsOf(user) ?? mattermost.GetSessionsAsync(user.Id, ct);

    /// <summary>
    /// For a command on one's own sessions, starts reading them now, so the command waits on one round trip fewer.
    /// Only the caller's own: anyone may read those, so nothing is read that a refusal would have to discard. Whose
    /// sessions are meant is judged from the request alone (<c>me</c>, the caller's id, or a mention Mattermost resolved to
    /// the caller), never from a look-up.
    /// </summary>
    private Task<IReadOnlyList<MattermostSession>>? ReadOwnSessionsAhead(CommandRequest request, IReadOnlyCollection<TargetRef> targets, BotAction action, CancellationToken ct)
    {
        if (!action.ReadsSessions || targets.Count != 1
            || UserDirectory.KnownId(targets.First(), request.UserId, request.MentionIds) != request.UserId)
            return null;
        var reading = mattermost.GetSessionsAsync(request.UserId, ct);
        _ = reading.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return reading;
    }
}

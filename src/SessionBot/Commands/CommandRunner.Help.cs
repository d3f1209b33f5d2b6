using SessionBot.Audit;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands;

public sealed partial class CommandRunner
{
    private static readonly IReadOnlyDictionary<string, HelpLine[]> HelpLines = new Dictionary<string, HelpLine[]>
    {
        [Triggers.Sessions] =
        [
            new("/sessions", "list where you are signed in, newest activity first"),
            new("/sessions @username", "list someone else's sessions (needs permission)"),
            new("/sessions audit [@username]", "the newest audit records about or by you (or, with permission, someone else)"),
        ],
        [Triggers.Revoke] =
        [
            new("/revoke <session-id>", "sign out one of your sessions, by the id /sessions shows (a unique prefix is enough)"),
            new("/revoke <session-id> @username", "sign out one of someone else's sessions"),
            new("/revoke all", "sign yourself out everywhere, this device included"),
            new("/revoke all @username [@username …]", "sign other people out everywhere"),
            new("/revoke token <token-id>", "revoke a personal access token"),
            new("/revoke everyone", "sign out every user (incident response)"),
        ],
        [Triggers.Deactivate] =
        [
            new("/deactivate @username [@username …]", "deactivate accounts; this also ends all their sessions"),
            new("/deactivate me", "deactivate your own account, if the server allows it"),
        ],
        [Triggers.Activate] =
        [
            new("/activate @username [@username …]", "reactivate deactivated accounts"),
        ],
    };

    /// <summary><c>/&lt;trigger&gt; help</c>: usage, and what this caller may do.</summary>
    private async Task<string> HelpAsync(CommandRequest request, CancellationToken ct)
    {
        var caller = await users.ResolveAsync(request.UserId, needCaller: true, [], request.MentionIds, ct);
        var permissions = caller.Caller is { } user ? await roles.PermissionsOfAsync(user.RoleNames, ct) : new HashSet<string>();
        var selfDeactivation = request.Trigger == Triggers.Deactivate && await server.SelfDeactivationEnabledAsync(ct);
        await RecordAsync(NewEntry(request, "help", null) with { Decision = AuditDecision.Allowed }, ct);
        return replies.Render(ReplyKind.Help, new HelpReply(
            request.Trigger,
            HelpLines.GetValueOrDefault(request.Trigger, []),
            CanActOnOthers: permissions.Contains(Permission.ManageSystem) || permissions.Contains(Permission.EditOtherUsers),
            CanManageUsers: permissions.Contains(Permission.ManageUsers),
            CanRevokeEveryone: permissions.Contains(Permission.ManageSystem),
            SelfDeactivation: selfDeactivation));
    }

    /// <summary>Input that does not fit the grammar: say what was wrong and how it is used. Nothing is looked up.</summary>
    private async Task<string> UsageAsync(CommandRequest request, UsageError usage, CancellationToken ct)
    {
        await RecordAsync(NewEntry(request, "usage", null) with { Decision = AuditDecision.Refused, Reason = "usage" }, ct);
        var lines = HelpLines.GetValueOrDefault(request.Trigger, []).Select(l => l.Usage).ToArray();
        return replies.Render(ReplyKind.Usage, new UsageReply(request.Trigger, usage.Problem, lines));
    }
}

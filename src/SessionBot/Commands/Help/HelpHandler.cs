using SessionBot.Audit;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands.Help;

/// <summary><c>/&lt;trigger&gt; help</c>: usage, and what this caller may do (as <see cref="PermissionPolicy.CapabilitiesOf"/> says).</summary>
public sealed class HelpHandler(UserDirectory users, RoleCache roles, ServerFacts server, Readers readers, AuditTrail trail, ReplyRenderer replies)
{
    /// <summary>The audit name of a help request (not an action on anyone, so not in the action catalogue).</summary>
    public const string AuditName = "help";

    public async Task<BotReply> HandleAsync(CommandRequest request, HelpCommand command, CancellationToken ct)
    {
        // The caller's user brings their roles and their language; a channel's language comes with the same round trip.
        var resolving = users.ResolveAsync(request.UserId, needCaller: true, [], request.MentionIds, ct);
        var reading = readers.StartReading(request, ct);
        await Task.WhenAll(resolving, reading ?? Task.CompletedTask);
        var caller = await resolving;
        var reader = await readers.OfCommandAsync(request, reading, caller.Caller);
        var permissions = caller.Caller is { } user ? await roles.PermissionsOfAsync(user.RoleNames, ct) : new HashSet<string>();
        var selfDeactivation = request.Trigger == Triggers.Deactivate && await server.SelfDeactivationEnabledAsync(ct);
        await trail.RecordAsync(trail.NewEntry(request, AuditName, null) with { Decision = AuditDecision.Allowed }, ct);
        var may = PermissionPolicy.CapabilitiesOf(new Caller(request.UserId, request.UserName, permissions));
        return new BotReply(replies.Render(ReplyKind.Help, new HelpReply(
            request.Trigger,
            HelpLines.For(request.Trigger, reader.Language),
            CanActOnOthers: may.ActOnOthersSessions,
            CanManageUsers: may.ChangeOthersAccounts,
            CanRevokeEveryone: may.RevokeEveryone,
            SelfDeactivation: selfDeactivation), reader));
    }
}

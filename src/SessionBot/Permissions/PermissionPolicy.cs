namespace SessionBot.Permissions;

/// <summary>
/// Who may do what, mirroring the server's own rules (mattermost.md §6) but checked for the caller, never for the
/// bot. Pure: the same inputs always give the same decision. The caller's permissions are decided first and facts
/// about the target (protected by configuration, managed by LDAP) only after, so a refused caller learns only which
/// permission they lack, never something Mattermost would not show them.
/// </summary>
public static class PermissionPolicy
{
    /// <summary>
    /// What the caller's permissions alone decide, before anything about a target is looked up: a caller who may not
    /// revoke access tokens is refused before the token (and its owner) is read.
    /// </summary>
    public static Decision DecideCaller(Caller caller, UserAction action) => action switch
    {
        UserAction.RevokeEveryone when !caller.Has(Permission.ManageSystem) =>
            Decision.Refuse("signing out every user needs a system admin's permission", Permission.ManageSystem),
        UserAction.RevokeToken when !caller.Has(Permission.RevokeUserAccessToken) =>
            Decision.Refuse("revoking access tokens needs the access-token permission", Permission.RevokeUserAccessToken),
        _ => Decision.Allow,
    };

    /// <param name="botOwnerId">For <see cref="UserAction.RevokeToken"/> of a bot's token: the bot's owner.</param>
    public static Decision Decide(Caller caller, UserAction action, TargetFacts? target, PolicyContext context, string? botOwnerId = null)
    {
        var byCaller = DecideCaller(caller, action);
        if (!byCaller.Allowed || action == UserAction.RevokeEveryone)
            return byCaller;
        ArgumentNullException.ThrowIfNull(target);

        if (target.Id == context.BotUserId)
            return Decision.Refuse("SessionBot never acts on its own account");
        var self = target.Id == caller.Id;
        var byPermission = action switch
        {
            UserAction.ListSessions or UserAction.ReadAudit or UserAction.RevokeSession or UserAction.RevokeAllSessions => SessionRule(caller, target, self),
            UserAction.RevokeToken => TokenRule(caller, target, self, botOwnerId),
            UserAction.Deactivate or UserAction.Activate => ActiveRule(caller, action, target, self, context),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        if (!byPermission.Allowed)
            return byPermission;

        var changesAccount = action is UserAction.Deactivate or UserAction.Activate;
        // Protected accounts may still look after their own sessions, but nobody (themselves included) deactivates them.
        if (context.IsProtected(target) && (!self || changesAccount))
            return Decision.Refuse("this account is protected by the bot's configuration (Policy:ProtectedUsers)");
        if (changesAccount && target.AuthService.Equals("ldap", StringComparison.OrdinalIgnoreCase))
        {
            return Decision.Refuse(action == UserAction.Deactivate
                ? "this account is managed by LDAP: deactivate it in the directory, and Mattermost follows at the next sync"
                : "this account is managed by LDAP: reactivate it in the directory, and Mattermost follows at the next sync");
        }
        return Decision.Allow;
    }

    private static Decision SessionRule(Caller caller, TargetFacts target, bool self)
    {
        if (self || caller.Has(Permission.ManageSystem))
            return Decision.Allow;
        if (!caller.Has(Permission.EditOtherUsers))
            return Decision.Refuse("acting on another person's sessions needs permission to edit other users", Permission.EditOtherUsers);
        return target.IsSystemAdmin
            ? Decision.Refuse("this user is a system admin, and acting on a system admin's sessions needs a system admin's permission", Permission.ManageSystem)
            : Decision.Allow;
    }

    /// <summary>The access-token permission itself was decided by <see cref="DecideCaller"/>.</summary>
    private static Decision TokenRule(Caller caller, TargetFacts owner, bool self, string? botOwnerId)
    {
        if (self)
            return Decision.Allow;
        if (owner.IsBot)
        {
            if (botOwnerId == caller.Id)
                return caller.Has(Permission.ManageBots) ? Decision.Allow : Decision.Refuse("revoking your bot's token needs permission to manage bots", Permission.ManageBots);
            return caller.Has(Permission.ManageOthersBots) ? Decision.Allow : Decision.Refuse("revoking another person's bot's token needs permission to manage others' bots", Permission.ManageOthersBots);
        }
        return SessionRule(caller, owner, self);
    }

    private static Decision ActiveRule(Caller caller, UserAction action, TargetFacts target, bool self, PolicyContext context)
    {
        if (self && action == UserAction.Deactivate)
        {
            if (!context.SelfDeactivationEnabled)
                return Decision.Refuse("this server does not let people deactivate their own account (Team Settings › Enable Account Deactivation is off)");
        }
        else if (!caller.Has(Permission.ManageUsers))
        {
            return Decision.Refuse(action == UserAction.Deactivate
                ? "deactivating other people needs the user-management permission"
                : "activating accounts needs the user-management permission", Permission.ManageUsers);
        }
        return target.IsSystemAdmin && !caller.Has(Permission.ManageSystem)
            ? Decision.Refuse("this user is a system admin, and changing a system admin's account needs a system admin's permission", Permission.ManageSystem)
            : Decision.Allow;
    }
}

namespace SessionBot.Permissions;

/// <summary>
/// Who may do what, mirroring the server's own rules (mattermost.md §6) but checked for the caller, never for the
/// bot. Pure: the same inputs always give the same decision.
/// </summary>
public static class PermissionPolicy
{
    /// <param name="botOwnerId">For <see cref="UserAction.RevokeToken"/> of a bot's token: the bot's owner.</param>
    public static Decision Decide(Caller caller, UserAction action, TargetFacts? target, PolicyContext context, string? botOwnerId = null)
    {
        if (action == UserAction.RevokeEveryone)
        {
            return caller.Has(Permission.ManageSystem)
                ? Decision.Allow
                : Decision.Refuse("signing out every user needs a system admin's permission", Permission.ManageSystem);
        }
        ArgumentNullException.ThrowIfNull(target);

        if (target.Id == context.BotUserId)
            return Decision.Refuse("SessionBot never acts on its own account");
        var self = target.Id == caller.Id;
        // Protected accounts may still look after their own sessions, but nobody (themselves included) deactivates them.
        if (context.IsProtected(target) && (!self || action is UserAction.Deactivate or UserAction.Activate))
            return Decision.Refuse("this account is protected by the bot's configuration (Policy:ProtectedUsers)");

        return action switch
        {
            UserAction.ListSessions or UserAction.ReadAudit or UserAction.RevokeSession or UserAction.RevokeAllSessions => SessionRule(caller, target, self),
            UserAction.RevokeToken => TokenRule(caller, target, self, botOwnerId),
            UserAction.Deactivate or UserAction.Activate => ActiveRule(caller, action, target, self, context),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
    }

    private static Decision SessionRule(Caller caller, TargetFacts target, bool self)
    {
        if (self || caller.Has(Permission.ManageSystem))
            return Decision.Allow;
        if (target.IsSystemAdmin)
        {
            return Decision.Refuse("this user is a system admin, and acting on a system admin's sessions needs a system admin's permission",
                Permission.ManageSystem);
        }
        return caller.Has(Permission.EditOtherUsers)
            ? Decision.Allow
            : Decision.Refuse("acting on another person's sessions needs permission to edit other users", Permission.EditOtherUsers);
    }

    private static Decision TokenRule(Caller caller, TargetFacts owner, bool self, string? botOwnerId)
    {
        if (!caller.Has(Permission.RevokeUserAccessToken))
            return Decision.Refuse("revoking access tokens needs the access-token permission", Permission.RevokeUserAccessToken);
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
        if (target.AuthService.Equals("ldap", StringComparison.OrdinalIgnoreCase))
        {
            return Decision.Refuse(action == UserAction.Deactivate
                ? "this account is managed by LDAP: deactivate it in the directory, and Mattermost follows at the next sync"
                : "this account is managed by LDAP: reactivate it in the directory, and Mattermost follows at the next sync");
        }
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

namespace SessionBot.Permissions;

/// <summary>Mattermost permission ids the rules use.</summary>
public static class Permission
{
    public const string ManageSystem = "manage_system";
    public const string EditOtherUsers = "edit_other_users";
    public const string ManageUsers = "sysconsole_write_user_management_users";
    public const string RevokeUserAccessToken = "revoke_user_access_token";
    public const string ManageBots = "manage_bots";
    public const string ManageOthersBots = "manage_others_bots";
}

/// <summary>The person who typed the command, with the union of their roles' permissions.</summary>
public sealed record Caller(string Id, string Username, IReadOnlySet<string> Permissions)
{
    public bool Has(string permission) => Permissions.Contains(permission);
}

/// <summary>The rows of the permission table (docs/product.md#who-may-do-what): which rule decides an action.</summary>
public enum TargetRule
{
    /// <summary>List, revoke one or revoke all sessions (and read audit records): oneself, or with permission over others.</summary>
    Sessions,
    /// <summary>Revoke a personal access token: the token permission, and the owner's row.</summary>
    AccessToken,
    /// <summary>Revoke every session of every user: a system admin's permission.</summary>
    Everyone,
    /// <summary>Deactivate or activate an account: the user-management permission (oneself: the server setting).</summary>
    Account,
}

/// <summary>The facts about a target user that the rules read.</summary>
public sealed record TargetFacts(string Id, string Username, bool IsSystemAdmin, string AuthService, bool IsBot, string Email = "")
{
    public static TargetFacts From(Mattermost.MattermostUser user) =>
        new(user.Id, user.Username, user.IsSystemAdmin, user.AuthService, user.IsBot, user.Email);
}

/// <summary>
/// Server-wide facts: the bot's own id, protected accounts (ids, usernames and emails, lower-case), whether people
/// may deactivate themselves, and whether acting on someone else needs a reason (<c>Policy:RequireReason</c>).
/// </summary>
public sealed record PolicyContext(string BotUserId, IReadOnlySet<string> ProtectedUsers, bool SelfDeactivationEnabled)
{
    public bool RequireReason { get; init; }

    public bool IsProtected(TargetFacts target) =>
        ProtectedUsers.Contains(target.Id) || ProtectedUsers.Contains(target.Username.ToLowerInvariant())
        || (target.Email.Length > 0 && ProtectedUsers.Contains(target.Email.ToLowerInvariant()));
}

/// <summary>What a caller may do to a typical other person (not an admin, not protected), for help to say.</summary>
public sealed record Capabilities(bool ActOnOthersSessions, bool ChangeOthersAccounts, bool RevokeEveryone);

/// <summary>
/// Allow, or refuse with a reason (said in the reader's language; audit records keep its English) and (when one would
/// help) the permission that is missing.
/// </summary>
public sealed record Decision(bool Allowed, Replies.Phrase Reason, string? MissingPermission = null)
{
    public static readonly Decision Allow = new(true, Replies.Phrase.None);
    public static Decision Refuse(Replies.Phrase reason, string? missingPermission = null) => new(false, reason, missingPermission);
}

using SessionBot.Actions;
using SessionBot.Replies;

namespace SessionBot.Permissions;

/// <summary>
/// Who may do what, mirroring the server's own rules (docs/mattermost.md §6) but checked for the caller, never for the
/// bot. Pure: the same inputs always give the same decision. The caller's permissions are decided first and facts
/// about the target (protected by configuration, managed by LDAP) only after, so a refused caller learns only which
/// permission they lack, never something Mattermost would not show them. Every policy question the commands ask
/// (may they, must it be confirmed, are the caller's permissions needed, what may help promise) is answered here.
/// </summary>
public static class PermissionPolicy
{
    /// <summary>A typical other person: not a system admin, not the bot, not protected (what help's promises are about).</summary>
    private static readonly TargetFacts SomeoneElse = new("", "", IsSystemAdmin: false, AuthService: "", IsBot: false);

    /// <summary>
    /// What the caller's permissions alone decide, before anything about a target is looked up: a caller who may not
    /// revoke access tokens is refused before the token (and its owner) is read.
    /// </summary>
    public static Decision DecideCaller(Caller caller, BotAction action) => action.Rule switch
    {
        TargetRule.Everyone when !caller.Has(Permission.ManageSystem) =>
            Decision.Refuse(Phrase.Of("policy.everyone"), Permission.ManageSystem),
        TargetRule.AccessToken when !caller.Has(Permission.RevokeUserAccessToken) =>
            Decision.Refuse(Phrase.Of("policy.tokens"), Permission.RevokeUserAccessToken),
        _ => Decision.Allow,
    };

    /// <param name="botOwnerId">For <see cref="BotAction.RevokeToken"/> of a bot's token: the bot's owner.</param>
    public static Decision Decide(Caller caller, BotAction action, TargetFacts? target, PolicyContext context, string? botOwnerId = null)
    {
        var byCaller = DecideCaller(caller, action);
        if (!byCaller.Allowed || action.Rule == TargetRule.Everyone)
            return byCaller;
        ArgumentNullException.ThrowIfNull(target);

        if (target.Id == context.BotUserId)
            return Decision.Refuse(Phrase.Of("policy.itself"));
        var self = target.Id == caller.Id;
        var byPermission = action.Rule switch
        {
            TargetRule.Sessions => SessionRule(caller, target, self),
            TargetRule.AccessToken => TokenRule(caller, target, self, botOwnerId),
            TargetRule.Account => ActiveRule(caller, action, target, self, context),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        if (!byPermission.Allowed)
            return byPermission;

        // Protected accounts may still look after their own sessions, but nobody (themselves included) deactivates them.
        if (context.IsProtected(target) && (!self || action.ChangesAccount))
            return Decision.Refuse(Phrase.Of("policy.protected"));
        if (action.ChangesAccount && target.AuthService.Equals("ldap", StringComparison.OrdinalIgnoreCase))
        {
            return Decision.Refuse(action == BotAction.Deactivate
                ? Phrase.Of("policy.ldap-deactivate")
                : Phrase.Of("policy.ldap-activate"));
        }
        return Decision.Allow;
    }

    /// <summary>
    /// Whether an allowed action waits for the caller to confirm. Changing an account always asks first (deactivating
    /// oneself too: one cannot undo it oneself); other actions ask when they act on someone else and say so.
    /// </summary>
    /// <param name="actsOnOthers">Some target is a person other than the caller (every user, for revoke everyone).</param>
    public static bool MustConfirm(BotAction action, bool actsOnOthers) =>
        action.ChangesAccount || (actsOnOthers && action.ConfirmsOnOthers);

    /// <summary>
    /// Whether deciding can need the caller's permissions (and so their roles must be read). Anyone may look after their
    /// own sessions, so a session action on oneself alone needs none; every other decision may.
    /// </summary>
    /// <param name="onlyOwn">Every target is the caller (as far as is known at the time of asking).</param>
    public static bool NeedsCallerPermissions(BotAction action, bool onlyOwn) =>
        !(onlyOwn && action.Rule == TargetRule.Sessions);

    /// <summary>
    /// Whether a command lacks the reason <c>Policy:RequireReason</c> asks of every change to someone else; a change
    /// to oneself never needs one (docs/product.md#reasons). Such a command gets the usage reply, and nothing is done.
    /// </summary>
    /// <param name="actsOnOthers">Some target is a person other than the caller (every user, for revoke everyone).</param>
    public static bool LacksRequiredReason(PolicyContext context, bool actsOnOthers, string givenReason) =>
        context.RequireReason && actsOnOthers && givenReason.Length == 0;

    /// <summary>Whether the decision reads the server's <c>EnableUserDeactivation</c> setting.</summary>
    public static bool NeedsSelfDeactivationSetting(BotAction action) => action == BotAction.Deactivate;

    /// <summary>What help may promise the caller, from the same rules that decide (for a typical other person).</summary>
    public static Capabilities CapabilitiesOf(Caller caller) => new(
        ActOnOthersSessions: SessionRule(caller, SomeoneElse, self: false).Allowed,
        ChangeOthersAccounts: ActiveRule(caller, BotAction.Deactivate, SomeoneElse, self: false, context: null).Allowed,
        RevokeEveryone: DecideCaller(caller, BotAction.RevokeEveryone).Allowed);

    private static Decision SessionRule(Caller caller, TargetFacts target, bool self)
    {
        if (self || caller.Has(Permission.ManageSystem))
            return Decision.Allow;
        if (!caller.Has(Permission.EditOtherUsers))
            return Decision.Refuse(Phrase.Of("policy.others-sessions"), Permission.EditOtherUsers);
        return target.IsSystemAdmin
            ? Decision.Refuse(Phrase.Of("policy.admin-sessions"), Permission.ManageSystem)
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
                return caller.Has(Permission.ManageBots) ? Decision.Allow : Decision.Refuse(Phrase.Of("policy.own-bot-token"), Permission.ManageBots);
            return caller.Has(Permission.ManageOthersBots) ? Decision.Allow : Decision.Refuse(Phrase.Of("policy.others-bot-token"), Permission.ManageOthersBots);
        }
        return SessionRule(caller, owner, self);
    }

    /// <param name="context">Read only for deactivating oneself.</param>
    private static Decision ActiveRule(Caller caller, BotAction action, TargetFacts target, bool self, PolicyContext? context)
    {
        if (self && action == BotAction.Deactivate)
        {
            if (context is not { SelfDeactivationEnabled: true })
                return Decision.Refuse(Phrase.Of("policy.no-self-deactivation"));
        }
        else if (!caller.Has(Permission.ManageUsers))
        {
            return Decision.Refuse(action == BotAction.Deactivate
                ? Phrase.Of("policy.deactivate-others")
                : Phrase.Of("policy.activate-others"), Permission.ManageUsers);
        }
        return target.IsSystemAdmin && !caller.Has(Permission.ManageSystem)
            ? Decision.Refuse(Phrase.Of("policy.admin-account"), Permission.ManageSystem)
            : Decision.Allow;
    }
}

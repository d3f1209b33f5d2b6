using SessionBot.Commands;
using SessionBot.Permissions;

namespace SessionBot.Actions;

/// <summary>
/// The action catalogue: one instance per thing the bot does about a user, holding every fact about it once. Handlers,
/// the target pipeline, <see cref="PermissionPolicy"/>, buttons and the audit trail all read these facts from here.
/// </summary>
public sealed class BotAction
{
    public static readonly BotAction ListSessions = new("list-sessions", Triggers.Sessions, TargetRule.Sessions, readsSessions: true);
    public static readonly BotAction ReadAudit = new("read-audit", Triggers.Sessions, TargetRule.Sessions);
    public static readonly BotAction RevokeSession = new("revoke-session", Triggers.Revoke, TargetRule.Sessions, readsSessions: true, tellsTarget: true);
    public static readonly BotAction RevokeAll = new("revoke-all", Triggers.Revoke, TargetRule.Sessions, readsSessions: true, confirmsOnOthers: true, tellsTarget: true);
    public static readonly BotAction RevokeToken = new("revoke-token", Triggers.Revoke, TargetRule.AccessToken, tellsTarget: true);
    // Not told: every user would get a message (the ops notice says it once).
    public static readonly BotAction RevokeEveryone = new("revoke-everyone", Triggers.Revoke, TargetRule.Everyone, confirmsOnOthers: true);
    // Not told: a deactivated person cannot read it; the message about their reactivation says it.
    public static readonly BotAction Deactivate = new("deactivate", Triggers.Deactivate, TargetRule.Account, confirmsOnOthers: true);
    public static readonly BotAction Activate = new("activate", Triggers.Activate, TargetRule.Account, confirmsOnOthers: true, tellsTarget: true);

    /// <summary>Every action; declared after the instances, which static initialisation creates in order.</summary>
    public static IReadOnlyList<BotAction> All { get; } = [ListSessions, ReadAudit, RevokeSession, RevokeAll, RevokeToken, RevokeEveryone, Deactivate, Activate];

    /// <summary>
    /// The wire value of a Cancel button. Cancelling is not an action (it does nothing and leaves no record), so it has no
    /// entry; like <see cref="Name"/> it is inside buttons already sent and must never change.
    /// </summary>
    public const string CancelName = "cancel";

    private BotAction(string name, string trigger, TargetRule rule, bool readsSessions = false, bool confirmsOnOthers = false, bool tellsTarget = false)
    {
        Name = name;
        Trigger = trigger;
        Rule = rule;
        ReadsSessions = readsSessions;
        ConfirmsOnOthers = confirmsOnOthers;
        TellsTarget = tellsTarget;
    }

    /// <summary>
    /// The action's name in the audit trail, and also its value in signed buttons (<see cref="SignedAction.Action"/>).
    /// Never rename one: old records would no longer match, and buttons already sent would stop working.
    /// </summary>
    public string Name { get; }

    /// <summary>The slash command it belongs to; a click on its button is recorded as that command.</summary>
    public string Trigger { get; }

    /// <summary>Which row of the permission table decides it (see <see cref="PermissionPolicy"/>).</summary>
    public TargetRule Rule { get; }

    /// <summary>It changes the account itself (not only its sessions): protected and LDAP-managed accounts are refused.</summary>
    public bool ChangesAccount => Rule == TargetRule.Account;

    /// <summary>It works on the target's sessions, so a command about the caller's own starts reading them at once.</summary>
    public bool ReadsSessions { get; }

    /// <summary>Acting on other people first asks the caller to confirm (see <see cref="PermissionPolicy.MustConfirm"/>).</summary>
    public bool ConfirmsOnOthers { get; }

    /// <summary>
    /// The person it was done to by someone else gets a direct message from the bot once it is done
    /// (docs/product.md#notices; <see cref="Audit.AffectedPeople"/>). Self-service never does.
    /// </summary>
    public bool TellsTarget { get; }

    /// <summary>Template of the reply saying what happened (for now every action renders <c>outcome</c>, which branches on the name).</summary>
    public string OutcomeTemplate => "outcome-" + Name;

    /// <summary>Template of the question asked before acting (for now rendered by <c>confirm</c>).</summary>
    public string ConfirmTemplate => "confirm-" + Name;

    /// <summary>Template of the ops-channel notice (for now rendered by <c>ops-notice</c>).</summary>
    public string OpsNoticeTemplate => "ops-notice-" + Name;

    /// <summary>Template of the direct message to the person it was done to (when <see cref="TellsTarget"/>).</summary>
    public string MessageTemplate => "message-" + Name;

    /// <summary>The action a signed button or an audit record names; null for any other name (e.g. <see cref="CancelName"/>).</summary>
    public static BotAction? Named(string name) => All.FirstOrDefault(a => a.Name == name);

    public override string ToString() => Name;
}

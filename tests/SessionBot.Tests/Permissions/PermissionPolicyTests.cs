using SessionBot.Actions;
using SessionBot.Permissions;

namespace SessionBot.Tests.Permissions;

public class PermissionPolicyTests
{
    private const string CallerId = "caller00000000000000000000";
    private const string OtherId = "other000000000000000000000";
    private const string BotId = "sessionbot0000000000000000";

    private static readonly PolicyContext Context = new(BotId, new HashSet<string> { "breakglass", "protected0000000000000000a" }, SelfDeactivationEnabled: false);

    private static Caller CallerWith(params string[] permissions) => new(CallerId, "caller", new HashSet<string>(permissions));

    private static TargetFacts Target(string kind) => kind switch
    {
        "self" => new(CallerId, "caller", false, "", false),
        "self-admin" => new(CallerId, "caller", true, "", false),
        "user" => new(OtherId, "bob", false, "", false),
        "admin" => new(OtherId, "root", true, "", false),
        "ldap" => new(OtherId, "lee", false, "ldap", false),
        "sso" => new(OtherId, "sam", false, "saml", false),
        "bot" => new(BotId, "sessionbot", false, "", true),
        "protected-name" => new(OtherId, "breakglass", false, "", false),
        "protected-id" => new("protected0000000000000000a", "someone", false, "", false),
        "protected-self" => new(CallerId, "breakglass", false, "", false),
        _ => throw new ArgumentException(kind),
    };

    private const string None = "";
    private const string ManageSystem = Permission.ManageSystem;
    private const string EditOthers = Permission.EditOtherUsers;
    private const string ManageUsers = Permission.ManageUsers;

    /// <summary>The table of docs/product.md#who-may-do-what: caller's permissions × action × target → allowed, or the permission named as missing ("-" when none helps).</summary>
    public static TheoryData<string, BotAction, string, string> Table => new()
    {
        // list / revoke one / revoke all sessions
        { None, BotAction.ListSessions, "self", "allow" },
        { None, BotAction.RevokeAll, "self", "allow" },
        { None, BotAction.RevokeSession, "self-admin", "allow" },
        { None, BotAction.ListSessions, "user", EditOthers },
        { None, BotAction.RevokeSession, "user", EditOthers },
        { None, BotAction.RevokeAll, "user", EditOthers },
        { EditOthers, BotAction.ListSessions, "user", "allow" },
        { EditOthers, BotAction.RevokeAll, "user", "allow" },
        { EditOthers, BotAction.ListSessions, "admin", ManageSystem },
        { EditOthers, BotAction.RevokeAll, "admin", ManageSystem },
        // the caller's own permission is decided first: a plain user is told what they lack, not facts about the target
        { None, BotAction.ListSessions, "admin", EditOthers },
        { ManageSystem, BotAction.ListSessions, "admin", "allow" },
        { ManageSystem, BotAction.RevokeAll, "admin", "allow" },
        { ManageUsers, BotAction.RevokeAll, "user", EditOthers },
        // revoke everyone
        { ManageSystem, BotAction.RevokeEveryone, "user", "allow" },
        { EditOthers, BotAction.RevokeEveryone, "user", ManageSystem },
        { ManageUsers, BotAction.RevokeEveryone, "user", ManageSystem },
        // deactivate / activate another
        { ManageUsers, BotAction.Deactivate, "user", "allow" },
        { ManageUsers, BotAction.Activate, "user", "allow" },
        { ManageUsers, BotAction.Deactivate, "sso", "allow" },
        { EditOthers, BotAction.Deactivate, "user", ManageUsers },
        { None, BotAction.Activate, "user", ManageUsers },
        { ManageUsers, BotAction.Deactivate, "admin", ManageSystem },
        { ManageUsers, BotAction.Activate, "admin", ManageSystem },
        { ManageSystem, BotAction.Deactivate, "admin", ManageUsers },
        { $"{ManageSystem} {ManageUsers}", BotAction.Deactivate, "admin", "allow" },
        // LDAP accounts are managed by the directory: nobody (de)activates them here
        { $"{ManageSystem} {ManageUsers}", BotAction.Deactivate, "ldap", "-" },
        { $"{ManageSystem} {ManageUsers}", BotAction.Activate, "ldap", "-" },
        { EditOthers, BotAction.RevokeAll, "ldap", "allow" },
        // deactivate self follows EnableUserDeactivation (off here), whatever the caller's permissions
        { None, BotAction.Deactivate, "self", "-" },
        { $"{ManageSystem} {ManageUsers}", BotAction.Deactivate, "self", "-" },
        // the bot's own account and protected accounts are never targets
        { $"{ManageSystem} {ManageUsers} {EditOthers}", BotAction.RevokeAll, "bot", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", BotAction.ListSessions, "bot", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", BotAction.Deactivate, "bot", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", BotAction.RevokeAll, "protected-name", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", BotAction.ListSessions, "protected-id", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", BotAction.Deactivate, "protected-id", "-" },
        // a protected person still looks after their own sessions, but cannot deactivate themselves through the bot
        { None, BotAction.RevokeAll, "protected-self", "allow" },
        { None, BotAction.ListSessions, "protected-self", "allow" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void FollowsTheServersRulesForTheCaller(string permissions, BotAction action, string target, string expected)
    {
        var caller = CallerWith(permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var decision = PermissionPolicy.Decide(caller, action, Target(target), Context);
        if (expected == "allow")
        {
            Assert.True(decision.Allowed, decision.Reason.English);
            return;
        }
        Assert.False(decision.Allowed);
        Assert.NotEmpty(decision.Reason.English);
        Assert.Equal(expected == "-" ? null : expected, decision.MissingPermission);
    }

    [Fact]
    public void SelfDeactivationIsAllowedWhenTheServerAllowsIt()
    {
        var decision = PermissionPolicy.Decide(CallerWith(), BotAction.Deactivate, Target("self"), Context with { SelfDeactivationEnabled = true });
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void SelfDeactivationOfASystemAdminStillNeedsManageSystem()
    {
        var decision = PermissionPolicy.Decide(CallerWith(), BotAction.Deactivate, Target("self-admin"), Context with { SelfDeactivationEnabled = true });
        Assert.Equal(ManageSystem, decision.MissingPermission);
    }

    [Fact]
    public void RefusingAnLdapAccountSaysWhereToDoItInstead()
    {
        var decision = PermissionPolicy.Decide(CallerWith(ManageSystem, ManageUsers), BotAction.Deactivate, Target("ldap"), Context);
        Assert.Contains("LDAP", decision.Reason.English);
        Assert.Contains("directory", decision.Reason.English);
    }

    [Theory]
    [InlineData(new[] { Permission.RevokeUserAccessToken }, "self", true)]
    [InlineData(new string[0], "self", false)]
    [InlineData(new[] { Permission.RevokeUserAccessToken }, "user", false)]
    [InlineData(new[] { Permission.RevokeUserAccessToken, EditOthers }, "user", true)]
    [InlineData(new[] { Permission.RevokeUserAccessToken, EditOthers }, "admin", false)]
    [InlineData(new[] { Permission.RevokeUserAccessToken, ManageSystem }, "admin", true)]
    public void RevokingATokenNeedsTheTokenPermissionAndTheOwnerRule(string[] permissions, string owner, bool allowed) =>
        Assert.Equal(allowed, PermissionPolicy.Decide(CallerWith(permissions), BotAction.RevokeToken, Target(owner), Context).Allowed);

    [Fact]
    public void RevokingABotsTokenNeedsManageOthersBotsUnlessTheCallerOwnsIt()
    {
        var bot = new TargetFacts("somebot0000000000000000000", "somebot", false, "", true);
        var withToken = CallerWith(Permission.RevokeUserAccessToken, ManageSystem);
        Assert.Equal(Permission.ManageOthersBots, PermissionPolicy.Decide(withToken, BotAction.RevokeToken, bot, Context, botOwnerId: OtherId).MissingPermission);
        Assert.Equal(Permission.ManageBots, PermissionPolicy.Decide(withToken, BotAction.RevokeToken, bot, Context, botOwnerId: CallerId).MissingPermission);
        Assert.True(PermissionPolicy.Decide(CallerWith(Permission.RevokeUserAccessToken, Permission.ManageBots), BotAction.RevokeToken, bot, Context, botOwnerId: CallerId).Allowed);
    }

    /// <summary>Action × whether it acts on someone other than the caller → whether it waits for the caller to confirm.</summary>
    public static TheoryData<string, bool, bool> Confirmations => new()
    {
        { "revoke-all", false, false },
        { "revoke-all", true, true },
        { "deactivate", false, true },
        { "deactivate", true, true },
        { "activate", true, true },
        { "revoke-everyone", true, true },
        { "revoke-session", true, false },
        { "list-sessions", true, false },
        { "read-audit", true, false },
        { "revoke-token", true, false },
    };

    [Theory]
    [MemberData(nameof(Confirmations))]
    public void ChangingAnAccountAlwaysAsksFirstAndRevokingAllAsksOnlyForOtherPeople(string action, bool actsOnOthers, bool asks) =>
        Assert.Equal(asks, PermissionPolicy.MustConfirm(BotAction.Named(action)!, actsOnOthers));

    [Theory]
    [InlineData(false, true, "", false)]
    [InlineData(true, true, "", true)]
    [InlineData(true, true, "ticket 4711", false)]
    // Self-service never needs a reason.
    [InlineData(true, false, "", false)]
    public void RequireReasonAsksAReasonOfEveryChangeToSomeoneElseOnly(bool requireReason, bool actsOnOthers, string givenReason, bool lacks) =>
        Assert.Equal(lacks, PermissionPolicy.LacksRequiredReason(Context with { RequireReason = requireReason }, actsOnOthers, givenReason));

    [Fact]
    public void OnlySessionActionsOnOneselfNeedNoPermissions()
    {
        Assert.All(BotAction.All, action =>
        {
            Assert.True(PermissionPolicy.NeedsCallerPermissions(action, onlyOwn: false));
            Assert.Equal(action.Rule != TargetRule.Sessions, PermissionPolicy.NeedsCallerPermissions(action, onlyOwn: true));
        });
        Assert.False(PermissionPolicy.NeedsCallerPermissions(BotAction.RevokeAll, onlyOwn: true));
        Assert.True(PermissionPolicy.NeedsCallerPermissions(BotAction.Deactivate, onlyOwn: true));
    }

    [Theory]
    [InlineData("", false, false, false)]
    [InlineData(EditOthers, true, false, false)]
    [InlineData(ManageUsers, false, true, false)]
    [InlineData(ManageSystem, true, false, true)]
    public void HelpPromisesWhatTheRulesAllowForATypicalOtherPerson(string permissions, bool sessions, bool accounts, bool everyone) =>
        Assert.Equal(new Capabilities(sessions, accounts, everyone), PermissionPolicy.CapabilitiesOf(CallerWith(permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
}

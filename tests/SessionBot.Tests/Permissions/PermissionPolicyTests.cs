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

    /// <summary>The spec's table: caller's permissions × action × target → allowed, or the permission named as missing ("-" when none helps).</summary>
    public static TheoryData<string, UserAction, string, string> Table => new()
    {
        // list / revoke one / revoke all sessions
        { None, UserAction.ListSessions, "self", "allow" },
        { None, UserAction.RevokeAllSessions, "self", "allow" },
        { None, UserAction.RevokeSession, "self-admin", "allow" },
        { None, UserAction.ListSessions, "user", EditOthers },
        { None, UserAction.RevokeSession, "user", EditOthers },
        { None, UserAction.RevokeAllSessions, "user", EditOthers },
        { EditOthers, UserAction.ListSessions, "user", "allow" },
        { EditOthers, UserAction.RevokeAllSessions, "user", "allow" },
        { EditOthers, UserAction.ListSessions, "admin", ManageSystem },
        { EditOthers, UserAction.RevokeAllSessions, "admin", ManageSystem },
        // the caller's own permission is decided first: a plain user is told what they lack, not facts about the target
        { None, UserAction.ListSessions, "admin", EditOthers },
        { ManageSystem, UserAction.ListSessions, "admin", "allow" },
        { ManageSystem, UserAction.RevokeAllSessions, "admin", "allow" },
        { ManageUsers, UserAction.RevokeAllSessions, "user", EditOthers },
        // revoke everyone
        { ManageSystem, UserAction.RevokeEveryone, "user", "allow" },
        { EditOthers, UserAction.RevokeEveryone, "user", ManageSystem },
        { ManageUsers, UserAction.RevokeEveryone, "user", ManageSystem },
        // deactivate / activate another
        { ManageUsers, UserAction.Deactivate, "user", "allow" },
        { ManageUsers, UserAction.Activate, "user", "allow" },
        { ManageUsers, UserAction.Deactivate, "sso", "allow" },
        { EditOthers, UserAction.Deactivate, "user", ManageUsers },
        { None, UserAction.Activate, "user", ManageUsers },
        { ManageUsers, UserAction.Deactivate, "admin", ManageSystem },
        { ManageUsers, UserAction.Activate, "admin", ManageSystem },
        { ManageSystem, UserAction.Deactivate, "admin", ManageUsers },
        { $"{ManageSystem} {ManageUsers}", UserAction.Deactivate, "admin", "allow" },
        // LDAP accounts are managed by the directory: nobody (de)activates them here
        { $"{ManageSystem} {ManageUsers}", UserAction.Deactivate, "ldap", "-" },
        { $"{ManageSystem} {ManageUsers}", UserAction.Activate, "ldap", "-" },
        { EditOthers, UserAction.RevokeAllSessions, "ldap", "allow" },
        // deactivate self follows EnableUserDeactivation (off here), whatever the caller's permissions
        { None, UserAction.Deactivate, "self", "-" },
        { $"{ManageSystem} {ManageUsers}", UserAction.Deactivate, "self", "-" },
        // the bot's own account and protected accounts are never targets
        { $"{ManageSystem} {ManageUsers} {EditOthers}", UserAction.RevokeAllSessions, "bot", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", UserAction.ListSessions, "bot", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", UserAction.Deactivate, "bot", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", UserAction.RevokeAllSessions, "protected-name", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", UserAction.ListSessions, "protected-id", "-" },
        { $"{ManageSystem} {ManageUsers} {EditOthers}", UserAction.Deactivate, "protected-id", "-" },
        // a protected person still looks after their own sessions, but cannot deactivate themselves through the bot
        { None, UserAction.RevokeAllSessions, "protected-self", "allow" },
        { None, UserAction.ListSessions, "protected-self", "allow" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void FollowsTheServersRulesForTheCaller(string permissions, UserAction action, string target, string expected)
    {
        var caller = CallerWith(permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var decision = PermissionPolicy.Decide(caller, action, Target(target), Context);
        if (expected == "allow")
        {
            Assert.True(decision.Allowed, decision.Reason);
            return;
        }
        Assert.False(decision.Allowed);
        Assert.NotEmpty(decision.Reason);
        Assert.Equal(expected == "-" ? null : expected, decision.MissingPermission);
    }

    [Fact]
    public void SelfDeactivationIsAllowedWhenTheServerAllowsIt()
    {
        var decision = PermissionPolicy.Decide(CallerWith(), UserAction.Deactivate, Target("self"), Context with { SelfDeactivationEnabled = true });
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void SelfDeactivationOfASystemAdminStillNeedsManageSystem()
    {
        var decision = PermissionPolicy.Decide(CallerWith(), UserAction.Deactivate, Target("self-admin"), Context with { SelfDeactivationEnabled = true });
        Assert.Equal(ManageSystem, decision.MissingPermission);
    }

    [Fact]
    public void RefusingAnLdapAccountSaysWhereToDoItInstead()
    {
        var decision = PermissionPolicy.Decide(CallerWith(ManageSystem, ManageUsers), UserAction.Deactivate, Target("ldap"), Context);
        Assert.Contains("LDAP", decision.Reason);
        Assert.Contains("directory", decision.Reason);
    }

    [Theory]
    [InlineData(new[] { Permission.RevokeUserAccessToken }, "self", true)]
    [InlineData(new string[0], "self", false)]
    [InlineData(new[] { Permission.RevokeUserAccessToken }, "user", false)]
    [InlineData(new[] { Permission.RevokeUserAccessToken, EditOthers }, "user", true)]
    [InlineData(new[] { Permission.RevokeUserAccessToken, EditOthers }, "admin", false)]
    [InlineData(new[] { Permission.RevokeUserAccessToken, ManageSystem }, "admin", true)]
    public void RevokingATokenNeedsTheTokenPermissionAndTheOwnerRule(string[] permissions, string owner, bool allowed) =>
        Assert.Equal(allowed, PermissionPolicy.Decide(CallerWith(permissions), UserAction.RevokeToken, Target(owner), Context).Allowed);

    [Fact]
    public void RevokingABotsTokenNeedsManageOthersBotsUnlessTheCallerOwnsIt()
    {
        var bot = new TargetFacts("somebot0000000000000000000", "somebot", false, "", true);
        var withToken = CallerWith(Permission.RevokeUserAccessToken, ManageSystem);
        Assert.Equal(Permission.ManageOthersBots, PermissionPolicy.Decide(withToken, UserAction.RevokeToken, bot, Context, botOwnerId: OtherId).MissingPermission);
        Assert.Equal(Permission.ManageBots, PermissionPolicy.Decide(withToken, UserAction.RevokeToken, bot, Context, botOwnerId: CallerId).MissingPermission);
        Assert.True(PermissionPolicy.Decide(CallerWith(Permission.RevokeUserAccessToken, Permission.ManageBots), UserAction.RevokeToken, bot, Context, botOwnerId: CallerId).Allowed);
    }
}

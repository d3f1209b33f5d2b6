using Moq;
using SessionBot.Commands.Deactivate;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands.Deactivate;

/// <summary><c>/deactivate &lt;target …&gt;</c>: <see cref="DeactivateHandler"/>.</summary>
public class DeactivateTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;

    private static Task<string> DeactivateAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<DeactivateCommand>(new DeactivateHandler(bot.Pipeline, bot.Trail, bot.Client, bot.Server, BotUnderTest.Log<DeactivateHandler>()).HandleAsync, "deactivate", text);

    [Fact]
    public async Task UserManagerDeactivatesAUser()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_user_manager");
        var reply = await DeactivateAsync(bot, "@bob --yes");
        Assert.Contains("Deactivated @bob (Bob Stone): all their sessions ended.", reply);
        bot.Mattermost.Verify(c => c.SetActiveAsync(BobId, false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DeactivatingAnSsoUserWarnsThatTheProviderMayBringThemBack()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").Add(TestData.User("sam0000000000000000000000s", "sam", authService: "saml"));
        var reply = await DeactivateAsync(bot, "sam --yes");
        Assert.Contains("sign in through SAML", reply);
        Assert.Contains("come back at their next sign-in", reply);
    }

    [Fact]
    public async Task DeactivatingABotOwnerWarnsThatTheirBotsStop()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        bot.Bots.Add(new MattermostBot { UserId = "buildbot000000000000000000", Username = "buildbot", OwnerId = BobId });
        var reply = await DeactivateAsync(bot, "@bob --yes");
        Assert.Contains("Their bots stop working: @buildbot", reply);
    }

    [Fact]
    public async Task HelpdeskCannotDeactivateAndTheCallIsNeverMade()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk");
        var reply = await DeactivateAsync(bot, "@bob");
        Assert.Contains("missing permission `sysconsole_write_user_management_users`", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task UserManagerCannotDeactivateASystemAdmin()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_user_manager");
        var reply = await DeactivateAsync(bot, "@root");
        Assert.Contains("missing permission `manage_system`", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task LdapAccountsCannotBeDeactivatedHere()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        var reply = await DeactivateAsync(bot, "@lee");
        Assert.Contains("managed by LDAP", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task DeactivateMeIsRefusedWhenTheServerDoesNotAllowIt()
    {
        var bot = new BotUnderTest();
        var reply = await DeactivateAsync(bot, "me");
        Assert.Contains("does not let people deactivate their own account", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task DeactivateMeWorksWhenTheServerAllowsIt()
    {
        var bot = new BotUnderTest { SelfDeactivation = true };
        await DeactivateAsync(bot, "me --yes");
        bot.Mattermost.Verify(c => c.SetActiveAsync(CallerId, false, It.IsAny<CancellationToken>()), Times.Once);
    }
}

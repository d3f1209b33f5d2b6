using Moq;
using SessionBot.Commands.Revoke;

namespace SessionBot.Tests.Commands.Revoke;

/// <summary><c>/revoke &lt;session&gt; [target]</c>: <see cref="RevokeSessionHandler"/>.</summary>
public class RevokeSessionTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;
    private static readonly string S1 = TestData.SessionId(1), S2 = TestData.SessionId(2);

    private static Task<string> RevokeAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<RevokeSessionCommand>(new RevokeSessionHandler(bot.Pipeline, bot.Trail, bot.Client).HandleAsync, "revoke", text);

    [Fact]
    public async Task RevokeByPrefixRevokesOnlyThatSession()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2);
        var reply = await RevokeAsync(bot, "s0000002");
        Assert.Contains("Revoked session `s0000002`.", reply);
        bot.Mattermost.Verify(c => c.RevokeSessionAsync(CallerId, S2, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.RevokeSessionAsync(It.IsAny<string>(), It.Is<string>(s => s != S2), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task APrefixMatchingSeveralSessionsRevokesNothing()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2);
        var reply = await RevokeAsync(bot, "s000");
        Assert.Contains("`s000` matches 2 sessions", reply);
        Assert.Contains("Nothing was revoked", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task AnotherUsersSessionIdWithoutNamingThemRevokesNothing()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(CallerId, S1).WithSessions(BobId, S2);
        var reply = await RevokeAsync(bot, S2);
        Assert.Contains("No session of yours starts with", reply);
        Assert.Contains("name them", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task HelpdeskRevokesOneOfBobsSessionsByNamingBob()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(BobId, S1, S2);
        var reply = await RevokeAsync(bot, "s0000001 @bob");
        Assert.Contains("Revoked session `s0000001` of @bob.", reply);
        bot.Mattermost.Verify(c => c.RevokeSessionAsync(BobId, S1, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PlainUserCannotRevokeBobsSessionAndBobsSessionsAreNotRead()
    {
        var bot = new BotUnderTest().WithSessions(BobId, S1);
        var reply = await RevokeAsync(bot, "s0000001 @bob");
        Assert.Contains("missing permission `edit_other_users`", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Never);
        bot.VerifyNoChangingCall();
    }
}

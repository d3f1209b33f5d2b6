using Moq;
using SessionBot.Commands.Revoke;

namespace SessionBot.Tests.Commands.Revoke;

/// <summary><c>/revoke all [target …]</c>: <see cref="RevokeAllHandler"/>.</summary>
public class RevokeAllTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;
    private const string RootId = TestData.RootId;
    private static readonly string S1 = TestData.SessionId(1), S2 = TestData.SessionId(2), S3 = TestData.SessionId(3);

    private static Task<string> RevokeAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<RevokeAllCommand>(new RevokeAllHandler(bot.Pipeline, bot.Trail, bot.Client).HandleAsync, "revoke", text);

    [Fact]
    public async Task RevokeAllSignsTheCallerOutEverywhere()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2, S3);
        var reply = await RevokeAsync(bot, "all");
        Assert.Contains("Revoked 3 sessions of yours", reply);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(CallerId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RevokeAllWithNoSessionsChangesNothing()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        var reply = await RevokeAsync(bot, "all @bob");
        Assert.Contains("@bob has no sessions. Nothing changed.", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task BulkRevokeDecidesAndReportsEachTargetOnItsOwn()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk")
            .WithSessions(BobId, S1, S2).WithSessions(RootId, S3);
        var reply = await RevokeAsync(bot, "all @bob @root @nobody --yes");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere: all their sessions ended.", reply);
        Assert.Contains("Not allowed for @root", reply);
        Assert.Contains("No user @nobody. Nothing changed.", reply);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(RootId, It.IsAny<CancellationToken>()), Times.Never);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(RootId, It.IsAny<CancellationToken>()), Times.Never);
        // In the order typed.
        Assert.True(reply.IndexOf("@bob", StringComparison.Ordinal) < reply.IndexOf("@root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheBotsOwnAccountIsNeverATarget()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(TestData.BotId, S1);
        var reply = await RevokeAsync(bot, "all @sessionbot");
        Assert.Contains("never acts on its own account", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task ProtectedUsersAreNeverTargets()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, S1);
        bot.ProtectedUsers.Add("@Bob");
        var reply = await RevokeAsync(bot, "all @bob");
        Assert.Contains("protected", reply);
        bot.VerifyNoChangingCall();
    }
}

using Moq;
using SessionBot.Audit;
using SessionBot.Commands.Sessions;

namespace SessionBot.Tests.Commands.Sessions;

/// <summary><c>/sessions [target]</c>: <see cref="ListSessionsHandler"/>.</summary>
public class ListSessionsTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;
    private const string RootId = TestData.RootId;
    private static readonly string S1 = TestData.SessionId(1), S2 = TestData.SessionId(2), S3 = TestData.SessionId(3);

    private static Task<string> SessionsAsync(BotUnderTest bot, string text, Dictionary<string, string>? mentions = null) =>
        bot.RunAsync<ListSessionsCommand>(new ListSessionsHandler(bot.Pipeline, bot.Trail, bot.Replies, bot.Buttons, bot.BotSettings, bot.Time).HandleAsync, "sessions", text, mentions);

    [Fact]
    public async Task AnyoneListsTheirOwnSessionsWithoutRolesBeingRead()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2);
        var reply = await SessionsAsync(bot, "");
        Assert.Contains("Your sessions** (2)", reply);
        Assert.Contains("`s0000001`", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(CallerId, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.GetRolesByNamesAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PlainUserCannotListAnotherUsersSessions()
    {
        var bot = new BotUnderTest().WithSessions(BobId, S1);
        var reply = await SessionsAsync(bot, "@bob");
        Assert.Contains("Not allowed for @bob", reply);
        Assert.Contains("missing permission `edit_other_users`", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Contains(bot.AuditEntries, e => e.Action == "list-sessions" && e.Decision == AuditDecision.Refused && e.TargetId == BobId);
    }

    [Fact]
    public async Task HelpdeskListsAPlainUsersSessions()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(BobId, S1, S2, S3);
        var reply = await SessionsAsync(bot, "bob@example.com");
        Assert.Contains("Sessions of @bob** (Bob Stone) (3)", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task HelpdeskCannotListASystemAdminsSessions()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(RootId, S1);
        var reply = await SessionsAsync(bot, RootId);
        Assert.Contains("missing permission `manage_system`", reply);
        // The sessions of a target named by id may be read alongside the look-ups; a refusal shows nothing of them.
        Assert.DoesNotContain(S1[..8], reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownUserIsNamedAsTyped()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        var reply = await SessionsAsync(bot, "@nobody");
        Assert.Contains("No user @nobody", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MentionIdsFromThePayloadSkipTheUsernameLookUp()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, S1);
        await SessionsAsync(bot, "@bob", new() { ["bob"] = BobId });
        bot.Mattermost.Verify(c => c.GetUsersByIdsAsync(It.Is<IReadOnlyCollection<string>>(ids => ids.Contains(BobId) && ids.Contains(CallerId)), It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.GetUsersByUsernamesAsync(It.Is<IReadOnlyCollection<string>>(n => n.Count > 0), It.IsAny<CancellationToken>()), Times.Never);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
    }
}

using Moq;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Commands.Activate;
using SessionBot.Commands.Revoke;
using SessionBot.Commands.Sessions;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands;

/// <summary>Notices in the ops channel (<see cref="OpsChannel"/>) about what commands did.</summary>
public class OpsChannelTests
{
    private const string Ops = "ops000000000000000000000oo";
    private static readonly string S1 = TestData.SessionId(1);

    private static void VerifyNoOpsPost(BotUnderTest bot) =>
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    private static RevokeAllHandler RevokeAll(BotUnderTest bot) => new(bot.Pipeline, bot.Trail, bot.Client);

    private static Task<string> RevokeAllAsync(BotUnderTest bot, string text) => bot.RunAsync<RevokeAllCommand>(RevokeAll(bot).HandleAsync, "revoke", text);

    private static Task<string> SessionsAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<ListSessionsCommand>(new ListSessionsHandler(bot.Pipeline, bot.Trail, bot.Replies, bot.Buttons, bot.BotSettings, bot.Time).HandleAsync, "sessions", text);

    private static Task<string> ActivateAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<ActivateCommand>(new ActivateHandler(bot.Pipeline, bot.Trail, bot.Client).HandleAsync, "activate", text);

    [Fact]
    public async Task AChangeIsAnnouncedInTheOpsChannelWithoutMentioningAnyone()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        await RevokeAllAsync(bot, "all @bob --yes");
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p =>
            p.ChannelId == Ops && p.Message.Contains("`@carol` revoke all sessions of `@bob`: done.")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ARefusalOnSomeoneElseIsAnnounced()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.WithSessions(TestData.RootId, S1);
        await SessionsAsync(bot, "@root");
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p =>
            p.Message.Contains("`@carol` list the sessions of `@root`: refused")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SelfServiceReadsAndUnchangedTargetsAreNotAnnounced()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.CallerId, S1);
        await SessionsAsync(bot, "");
        await SessionsAsync(bot, "@bob");
        // Asked to confirm: Alice has no sessions, so there is nothing to do and nothing to announce.
        await RevokeAllAsync(bot, "all @alice");
        await ActivateAsync(bot, "@bob --yes");
        VerifyNoOpsPost(bot);
    }

    [Fact]
    public async Task ShuttingDownWaitsForNoticesStillBeingPosted()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var posted = new TaskCompletionSource<MattermostPost>(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Mattermost.Setup(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>())).Returns(posted.Task);

        var reply = await RevokeAll(bot).HandleAsync(BotUnderTest.Request("revoke", "all @bob --yes"), (RevokeAllCommand)CommandParser.Parse("revoke", "all @bob --yes"), CancellationToken.None);
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", ReplyText.Plain(reply.Text));

        var shutdown = bot.Posts.DisposeAsync().AsTask();
        Assert.False(shutdown.IsCompleted);
        posted.SetResult(new MattermostPost("post0000000000000000000000", Ops, ""));
        await shutdown;
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p => p.ChannelId == Ops), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WithNoOpsChannelNoNoticeIsPosted()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        await RevokeAllAsync(bot, "all @bob --yes");
        // Bob's direct message is all that is posted.
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p => p.ChannelId != BotUnderTest.DirectChannelOf(TestData.BobId)), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TheNoticeSaysTheReasonGivenAndTheFailedNoticeKeepsIt()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops, Notify = new() { AffectedPeople = false } }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        bot.Mattermost.Setup(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.Rejected, 403, "api.context.permissions.app_error", "not a member"));

        await RevokeAllAsync(bot, "all @bob --yes --reason laptop stolen, ticket 4711");

        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p =>
            p.ChannelId == Ops && p.Message.Contains("`@carol` revoke all sessions of `@bob`: done.") && p.Message.Contains("\nReason: laptop stolen, ticket 4711")), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains(bot.AuditEntries, e => e.Action == "ops-notice" && e.Outcome == AuditOutcome.Failed && e.GivenReason == "laptop stolen, ticket 4711");
    }

    [Fact]
    public async Task AFailedAnnouncementDoesNotFailTheActionAndIsRecorded()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        bot.Mattermost.Setup(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.Rejected, 403, "api.context.permissions.app_error", "not a member"));

        var reply = await RevokeAllAsync(bot, "all @bob --yes");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(TestData.BobId, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains(bot.AuditEntries, e => e.Action == "ops-notice" && e.Outcome == AuditOutcome.Failed && e.ErrorId == "api.context.permissions.app_error");
    }
}

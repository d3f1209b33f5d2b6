using Moq;
using SessionBot.Audit;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands;

public class AuditAndOpsChannelTests
{
    private const string Ops = "ops000000000000000000000oo";
    private static readonly string S1 = TestData.SessionId(1);

    private static void VerifyNoOpsPost(BotUnderTest bot) =>
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>()), Times.Never);

    [Fact]
    public async Task AChangeIsAnnouncedInTheOpsChannelWithoutMentioningAnyone()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        await bot.RunAsync("revoke", "all @bob --yes");
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p =>
            p.ChannelId == Ops && p.Message.Contains("`@carol` revoke all sessions of `@bob`: done.")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ARefusalOnSomeoneElseIsAnnounced()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.WithSessions(TestData.RootId, S1);
        await bot.RunAsync("sessions", "@root");
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p =>
            p.Message.Contains("`@carol` list the sessions of `@root`: refused")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SelfServiceReadsAndUnchangedTargetsAreNotAnnounced()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.CallerId, S1);
        await bot.RunAsync("sessions", "");
        await bot.RunAsync("sessions", "@bob");
        // Asked to confirm: Alice has no sessions, so there is nothing to do and nothing to announce.
        await bot.RunAsync("revoke", "all @alice");
        await bot.RunAsync("activate", "@bob --yes");
        VerifyNoOpsPost(bot);
    }

    [Fact]
    public async Task ShuttingDownWaitsForNoticesStillBeingPosted()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var posted = new TaskCompletionSource<MattermostPost>(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Mattermost.Setup(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>())).Returns(posted.Task);

        var reply = await bot.Runner().RunAsync(new SessionBot.Commands.CommandRequest { Trigger = "revoke", Text = "all @bob --yes", UserId = TestData.CallerId, UserName = "carol" }, CancellationToken.None);
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply.Text.Replace("\\", ""));

        var shutdown = bot.Ops!.DisposeAsync().AsTask();
        Assert.False(shutdown.IsCompleted);
        posted.SetResult(new MattermostPost("post0000000000000000000000", Ops, ""));
        await shutdown;
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p => p.ChannelId == Ops), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WithNoOpsChannelNothingIsPosted()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        await bot.RunAsync("revoke", "all @bob --yes");
        VerifyNoOpsPost(bot);
    }

    [Fact]
    public async Task AFailedAnnouncementDoesNotFailTheActionAndIsRecorded()
    {
        var bot = new BotUnderTest { OpsChannelId = Ops }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        bot.Mattermost.Setup(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.Rejected, 403, "api.context.permissions.app_error", "not a member"));

        var reply = await bot.RunAsync("revoke", "all @bob --yes");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(TestData.BobId, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains(bot.AuditEntries, e => e.Action == "ops-notice" && e.Outcome == AuditOutcome.Failed && e.ErrorId == "api.context.permissions.app_error");
    }

    [Fact]
    public async Task AnyoneReadsTheAuditRecordsAboutThemselves()
    {
        var bot = new BotUnderTest();
        bot.Audit.Setup(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new AuditEntry { At = TestData.Now.AddMinutes(-5), CallerId = TestData.RootId, CallerUsername = "root", Action = "revoke-all", TargetId = TestData.CallerId, TargetUsername = "carol", Outcome = AuditOutcome.Done },
            new AuditEntry { At = TestData.Now.AddMinutes(-9), CallerId = TestData.CallerId, CallerUsername = "carol", Action = "list-sessions", TargetId = TestData.BobId, TargetUsername = "bob", Decision = AuditDecision.Refused, Reason = "no permission" },
        ]);

        var reply = await bot.RunAsync("sessions", "audit");

        Assert.Contains("Audit records about you or by you", reply);
        Assert.Contains("5 min ago (2026-11-22 11:55:00 UTC) · @root · revoke-all → @carol · done", reply);
        Assert.Contains("@carol · list-sessions → @bob · refused: no permission", reply);
        bot.Audit.Verify(a => a.QueryAsync(new AuditQuery(TestData.CallerId, TestData.CallerId, 20), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task APlainUserCannotReadSomeoneElsesAuditRecords()
    {
        var bot = new BotUnderTest();
        var reply = await bot.RunAsync("sessions", "audit @bob");
        Assert.Contains("missing permission `edit_other_users`", reply);
        bot.Audit.Verify(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task HelpdeskReadsAPlainUsersAuditRecords()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk");
        bot.Audit.Setup(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var reply = await bot.RunAsync("sessions", "audit @bob");
        Assert.Contains("about or by @bob", reply);
        Assert.Contains("No records yet.", reply);
        bot.Audit.Verify(a => a.QueryAsync(new AuditQuery(TestData.BobId, TestData.BobId, 20), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EveryCommandThatReachesAHandlerLeavesARecord()
    {
        var bot = new BotUnderTest().WithSessions(TestData.CallerId, S1);
        await bot.RunAsync("sessions", "");
        await bot.RunAsync("sessions", "@bob");
        await bot.RunAsync("revoke", "x");
        Assert.Equal(["list-sessions", "list-sessions", "usage"], bot.AuditEntries.Select(e => e.Action));
        Assert.Equal([AuditDecision.Allowed, AuditDecision.Refused, AuditDecision.Refused], bot.AuditEntries.Select(e => e.Decision));
        Assert.All(bot.AuditEntries, e => Assert.Equal("carol", e.CallerUsername));
        Assert.Equal("/sessions @bob", bot.AuditEntries[1].CommandText);
    }
}

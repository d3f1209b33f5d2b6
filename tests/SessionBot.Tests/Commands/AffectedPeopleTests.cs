using Moq;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Tests.Commands;

/// <summary>The direct message to the person someone else acted on (<see cref="AffectedPeople"/>, docs/product.md#notices).</summary>
public class AffectedPeopleTests
{
    private const string TokenId = "tok0000000000000000000000t";
    private const string ErinId = "erin000000000000000000000e";
    private static readonly string S1 = TestData.SessionId(1), S2 = TestData.SessionId(2);

    /// <summary>
    /// A system admin caller (carol), Bob with two sessions and an access token, Erin deactivated by Uma a while ago;
    /// audit records the test adds are what the Moq store's queries return.
    /// </summary>
    private static BotUnderTest Bot(NotifyOptions? notify = null)
    {
        var bot = new BotUnderTest { Notify = notify ?? new() }.CallerRoles("system_admin")
            .WithSessions(TestData.BobId, S1, S2).WithSessions(TestData.CallerId, S1)
            .Add(TestData.User(ErinId, "erin", deleteAt: 1));
        bot.SelfDeactivation = true;
        bot.Mattermost.Setup(c => c.GetUserAccessTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new UserAccessToken { Id = id, UserId = id == TokenId ? TestData.BobId : TestData.CallerId, Description = "CI deploy" });
        bot.Mattermost.Setup(c => c.GetUserAsync(TestData.BobId, It.IsAny<CancellationToken>())).ReturnsAsync(TestData.Bob);
        bot.Mattermost.Setup(c => c.GetUserAsync(TestData.CallerId, It.IsAny<CancellationToken>())).ReturnsAsync(TestData.Caller("system_admin"));
        bot.Audit.Setup(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AuditQuery q, CancellationToken _) => Query(bot, q));
        return bot;
    }

    private static IReadOnlyList<AuditEntry> Query(BotUnderTest bot, AuditQuery q)
    {
        lock (bot.AuditEntries)
        {
            return bot.AuditEntries.Where(e => (q.TargetId is null || e.TargetId == q.TargetId) && (q.Action is null || e.Action == q.Action)
                && (q.Outcome is null || e.Outcome == q.Outcome)).OrderByDescending(e => e.At).Take(q.Limit).ToArray();
        }
    }

    /// <summary>The messages posted in someone's direct-message channel with the bot.</summary>
    private static List<string> MessagesTo(BotUnderTest bot, string userId) => bot.Mattermost.Invocations
        .Where(i => i.Method.Name == nameof(IMattermostClient.CreatePostAsync))
        .Select(i => (CreatePostRequest)i.Arguments[0])
        .Where(p => p.ChannelId == BotUnderTest.DirectChannelOf(userId))
        .Select(p => p.Message).ToList();

    private static int DirectChannelsOpened(BotUnderTest bot) =>
        bot.Mattermost.Invocations.Count(i => i.Method.Name == nameof(IMattermostClient.CreateDirectChannelAsync));

    public static TheoryData<string, string, string> Told => new()
    {
        // trigger, text, the person told
        { "revoke", "all @bob --yes", TestData.BobId },
        { "revoke", $"{S1} @bob", TestData.BobId },
        { "revoke", "s0000002 @bob", TestData.BobId },
        { "revoke", $"token {TokenId}", TestData.BobId },
        { "activate", "@erin --yes", ErinId },
    };

    [Theory]
    [MemberData(nameof(Told))]
    public async Task ThePersonActedOnIsToldInADirectMessageFromTheBotAndNobodyElseIs(string trigger, string text, string told)
    {
        var bot = Bot();
        var reply = await bot.RunAsync(trigger, text);

        Assert.Contains(":white_check_mark:", reply);
        bot.Mattermost.Verify(c => c.CreateDirectChannelAsync(TestData.BotId, told, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(1, DirectChannelsOpened(bot));
        var message = Assert.Single(MessagesTo(bot, told));
        // Who did it, in a code span: named, not notified.
        Assert.Contains("`@carol`", message);
        Assert.DoesNotContain("@carol", message.Replace("`@carol`", ""));
        Assert.Contains("on 2026-11-22 12:00:00 UTC", ReplyText.Plain(message));
        Assert.Contains("What to do now:", message);
        Assert.DoesNotContain("Reason:", message);
    }

    public static TheoryData<string, string> NotTold => new()
    {
        // Self-service.
        { "revoke", "all" },
        { "revoke", "s0000001" },
        { "revoke", $"token own0000000000000000000000t" },
        { "deactivate", "me --yes" },
        // Every user: the ops notice says it once.
        { "revoke", "everyone --yes" },
        // A deactivated person cannot read it.
        { "deactivate", "@bob --yes" },
        // Nothing was done.
        { "revoke", "all @bob" },
        { "deactivate", "@erin --yes" },
        { "activate", "@bob --yes" },
        { "revoke", "s9999999 @bob" },
    };

    [Theory]
    [MemberData(nameof(NotTold))]
    public async Task NobodyIsToldOfSelfServiceRevokeEveryoneDeactivationOrWhatWasNotDone(string trigger, string text)
    {
        var bot = Bot();
        await bot.RunAsync(trigger, text);
        Assert.Equal(0, DirectChannelsOpened(bot));
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EachPersonOfABulkCommandIsToldOnTheirOwn()
    {
        var bot = Bot().WithSessions(TestData.AliceId, S1);
        await bot.RunAsync("revoke", "all @bob @alice me --yes");
        Assert.Single(MessagesTo(bot, TestData.BobId));
        Assert.Single(MessagesTo(bot, TestData.AliceId));
        Assert.Empty(MessagesTo(bot, TestData.CallerId));
        Assert.Equal(2, DirectChannelsOpened(bot));
    }

    [Fact]
    public async Task TheMessageSaysWhatWhoWhenWhyAndWhatToDoWithTheOperatorsContactAsWritten()
    {
        var bot = Bot(new() { Contact = "Questions: ~it-help" });
        await bot.RunAsync("revoke", "all @bob --yes --reason laptop stolen, ticket 4711");

        var message = Assert.Single(MessagesTo(bot, TestData.BobId));
        Assert.Equal(
            ":information_source: `@carol` signed you out of Mattermost everywhere on 2026-11-22 12:00:00 UTC: every session of yours ended, on every device.\n"
            + "Reason: laptop stolen, ticket 4711\n"
            + "What to do now: sign in again on each device you use. If you did not expect this, tell someone who looks after your account.\n"
            + "Questions: ~it-help",
            ReplyText.Plain(message));
        // The operator's Markdown as written: the channel link stays a link.
        Assert.EndsWith("\nQuestions: ~it-help", message);
    }

    [Fact]
    public async Task ARevokedSessionAndARevokedTokenAreNamedInTheirMessages()
    {
        var bot = Bot();
        await bot.RunAsync("revoke", "s0000002 @bob --reason lost phone");
        await bot.RunAsync("revoke", $"token {TokenId}");
        var messages = MessagesTo(bot, TestData.BobId);
        Assert.Equal(2, messages.Count);
        Assert.Contains("signed out one of your Mattermost sessions (`s0000002`)", ReplyText.Plain(messages[0]));
        Assert.Contains("Reason: lost phone", ReplyText.Plain(messages[0]));
        Assert.Contains("revoked your personal access token `tok00000` (\"CI deploy\")", ReplyText.Plain(messages[1]));
    }

    [Fact]
    public async Task AReactivationSaysWhenAndWhyTheAccountHadBeenDeactivatedFromTheAuditTrail()
    {
        var bot = Bot();
        bot.AuditEntries.Add(new AuditEntry
        {
            At = new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero),
            CallerId = "uma00000000000000000000000",
            CallerUsername = "uma",
            Action = BotAction.Deactivate.Name,
            TargetId = ErinId,
            TargetUsername = "erin",
            Decision = AuditDecision.Allowed,
            Outcome = AuditOutcome.Done,
            GivenReason = "left the company",
        });
        // An older deactivation, and a newer one that failed: neither is the one meant.
        bot.AuditEntries.Add(bot.AuditEntries[0] with { Id = Guid.NewGuid(), At = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero), GivenReason = "older" });
        bot.AuditEntries.Add(bot.AuditEntries[0] with { Id = Guid.NewGuid(), At = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), Outcome = AuditOutcome.Failed, GivenReason = "failed" });

        await bot.RunAsync("activate", "@erin --yes --reason came back");

        var message = ReplyText.Plain(Assert.Single(MessagesTo(bot, ErinId)));
        Assert.Contains("`@carol` reactivated your Mattermost account on 2026-11-22 12:00:00 UTC: you can sign in again.\nReason: came back\n", message);
        Assert.Contains("It had been deactivated by `@uma` on 2026-10-01 09:00:00 UTC, for this reason: left the company\n", message);
    }

    [Fact]
    public async Task AReactivationTheTrailHasNoDeactivationOfSaysOnlyThatItHadBeen()
    {
        var bot = Bot();
        await bot.RunAsync("activate", "@erin --yes");
        var message = Assert.Single(MessagesTo(bot, ErinId));
        Assert.Contains("\nIt had been deactivated.\n", ReplyText.Plain(message));
    }

    [Theory]
    [InlineData(nameof(IMattermostClient.CreateDirectChannelAsync))]
    [InlineData(nameof(IMattermostClient.CreatePostAsync))]
    public async Task AMessageThatCannotBePostedNeitherFailsTheActionNorGoesUnrecorded(string failing)
    {
        var bot = Bot();
        var refused = new MattermostException(MattermostFailure.Rejected, 403, "api.context.permissions.app_error", "no");
        if (failing == nameof(IMattermostClient.CreateDirectChannelAsync))
            bot.Mattermost.Setup(c => c.CreateDirectChannelAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(refused);
        else
            bot.Mattermost.Setup(c => c.CreatePostAsync(It.IsAny<CreatePostRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(refused);

        var reply = await bot.RunAsync("revoke", "all @bob --yes --reason offboarding");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(TestData.BobId, It.IsAny<CancellationToken>()), Times.Once);
        var record = Assert.Single(bot.AuditEntries, e => e.Action == AffectedPeople.AuditName);
        Assert.Equal((AuditOutcome.Failed, "api.context.permissions.app_error", TestData.BobId, "revoke-all", "offboarding", "carol"),
            (record.Outcome, record.ErrorId, record.TargetId, record.Detail, record.GivenReason, record.CallerUsername));
        // The change itself is recorded done, as it was.
        Assert.Contains(bot.AuditEntries, e => e.Action == "revoke-all" && e.Outcome == AuditOutcome.Started);
        bot.Audit.Verify(a => a.CompleteAsync(It.IsAny<Guid>(), AuditOutcome.Done, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NotifyAffectedPeopleFalseSendsNoMessage()
    {
        var bot = Bot(new() { AffectedPeople = false });
        await bot.RunAsync("revoke", "all @bob --yes");
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(TestData.BobId, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(0, DirectChannelsOpened(bot));
    }

    [Fact]
    public async Task TheReplyDoesNotWaitForTheMessage()
    {
        var bot = Bot();
        var channel = new TaskCompletionSource<MattermostChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Mattermost.Setup(c => c.CreateDirectChannelAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(channel.Task);

        var reply = await bot.Runner.RunAsync(BotUnderTest.Request("revoke", "all @bob --yes"), CancellationToken.None);
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", ReplyText.Plain(reply.Text));
        var shutdown = bot.Posts.DisposeAsync().AsTask();
        Assert.False(shutdown.IsCompleted);

        channel.SetResult(new MattermostChannel { Id = BotUnderTest.DirectChannelOf(TestData.BobId), Type = "D" });
        await shutdown;
        Assert.Single(MessagesTo(bot, TestData.BobId));
    }

    [Fact]
    public void OnlyTheCataloguesToldActionsTellAndOnlyAPersonWhoWasActedOnBySomeoneElse()
    {
        Assert.Equal([BotAction.RevokeSession, BotAction.RevokeAll, BotAction.RevokeToken, BotAction.Activate], BotAction.All.Where(a => a.TellsTarget));
        var done = new TargetOutcome(OutcomeStatus.Done, "@bob") { TargetId = TestData.BobId, User = new UserLabel("bob", "") };
        Assert.True(AffectedPeople.IsTold(BotAction.RevokeToken, done));
        Assert.False(AffectedPeople.IsTold(BotAction.RevokeToken, done with { IsBot = true }));
        Assert.False(AffectedPeople.IsTold(BotAction.RevokeToken, done with { IsSelf = true }));
        Assert.False(AffectedPeople.IsTold(BotAction.RevokeToken, done with { Status = OutcomeStatus.Unknown }));
        Assert.False(AffectedPeople.IsTold(BotAction.Deactivate, done));
        Assert.False(AffectedPeople.IsTold(BotAction.RevokeEveryone, done));
    }
}

using Moq;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Commands.Activate;
using SessionBot.Commands.AuditLog;
using SessionBot.Commands.Deactivate;
using SessionBot.Commands.Revoke;
using SessionBot.Commands.Sessions;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands;

/// <summary><c>--reason &lt;text&gt;</c> (docs/product.md#reasons): its grammar, where it is kept and shown, and <c>Policy:RequireReason</c>.</summary>
public class ReasonTests
{
    private const string TokenId = "tok0000000000000000000000t";
    private const string ErinId = "erin000000000000000000000e";
    private static readonly string S1 = TestData.SessionId(1);
    private static readonly BotOptions WithButtons = new() { PublicUrl = "https://bot.example.com", ActionSecret = new string('s', 40) };

    public static TheoryData<string, string, string> Table => new()
    {
        // trigger, text, expected: the command, then "yes" when confirmed, then the reason kept in [brackets]
        { "revoke", "all @bob --reason left the company", "RevokeAll [left the company]" },
        { "revoke", "all @bob --yes --reason left the company", "RevokeAll yes [left the company]" },
        // A --yes at the very end is the flag: the command typed again with --yes appended still confirms.
        { "revoke", "all @bob --reason left the company --yes", "RevokeAll yes [left the company]" },
        { "revoke", "all @bob --reason left the company -y", "RevokeAll yes [left the company]" },
        { "revoke", "all @bob --reason \"left the company\" --yes", "RevokeAll yes [left the company]" },
        // Quoted, the words are the reason's own.
        { "revoke", "all @bob --reason \"try --yes\"", "RevokeAll [try --yes]" },
        { "revoke", "all @bob --reason 'left'", "RevokeAll [left]" },
        { "revoke", "all @bob --reason “smart quotes”", "RevokeAll [smart quotes]" },
        { "revoke", "all @bob --reason \"unbalanced", "RevokeAll [\"unbalanced]" },
        { "revoke", "all @bob --REASON Case Kept", "RevokeAll [Case Kept]" },
        { "revoke", "all @bob --reason  two   spaces\nand a line", "RevokeAll [two spaces and a line]" },
        // The text runs to the end: what follows --reason is never a target.
        { "revoke", "all @bob --reason @alice too", "RevokeAll [@alice too]" },
        { "revoke", "all --reason lost laptop", "RevokeAll [lost laptop]" },
        { "revoke", "abcd1234 @bob --reason lost phone", "RevokeSession [lost phone]" },
        { "revoke", "token abcdefghijklmnopqrstuvwxyz --reason leaked in a log", "RevokeToken [leaked in a log]" },
        { "revoke", "everyone --reason incident 42 --yes", "RevokeEveryone yes [incident 42]" },
        { "deactivate", "me --reason leaving", "Deactivate [leaving]" },
        { "deactivate", "@bob --reason offboarding --yes", "Deactivate yes [offboarding]" },
        { "activate", "@bob --reason back from leave", "Activate [back from leave]" },
        // A pasted token value (or anything that looks like one) is not kept.
        { "deactivate", "@bob --reason token abcdefghijklmnopqrstuvwxyz0123 pasted", "Deactivate [token [redacted] pasted]" },
        { "revoke", "all @bob --reasons x", "Usage: is not a user" },
        { "revoke", "all @bob --reason", "Usage: Say why after" },
        { "revoke", "all @bob --reason \"\"", "Usage: Say why after" },
        { "revoke", "all @bob --reason --yes", "Usage: Say why after" },
        { "revoke", "--reason first all @bob", "Usage: Say which session" },
        { "sessions", "@bob --reason curious", "Usage: this one only reads" },
        { "sessions", "audit @bob --reason curious", "Usage: this one only reads" },
        { "revoke", "help --reason x", "Usage: this one only reads" },
        // The command's own problem is said first.
        { "revoke", "all #general --reason x", "Usage: is not a user" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void ReasonsParseToTheEndOfTheLine(string trigger, string text, string expected) =>
        Assert.Equal(expected, Describe(CommandParser.Parse(trigger, text)));

    [Fact]
    public void AReasonOf300CharactersIsTakenAnd301IsAUsageErrorCountingAnEmojiAsOne()
    {
        Assert.Equal(Reason(300), CommandParser.Parse("revoke", "all @bob --reason " + Reason(300)).GivenReason);
        Assert.Equal(300, ReasonOption.LengthOf(CommandParser.Parse("revoke", "all @bob --reason " + string.Concat(Enumerable.Repeat("😀", 300))).GivenReason));
        var usage = Assert.IsType<UsageError>(CommandParser.Parse("revoke", "all @bob --reason " + Reason(301)));
        Assert.Contains("301 characters long: keep it to at most 300", usage.Problem.English);
    }

    [Fact]
    public async Task A301CharacterReasonGetsTheUsageReplyAndNothingIsDone()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var reply = await bot.RunAsync("revoke", "all @bob --yes --reason " + Reason(301));
        Assert.Contains("keep it to at most 300", reply);
        Assert.Contains("Usage:", reply);
        // Not even a look-up: the command did not parse.
        Assert.Empty(bot.Mattermost.Invocations);
        Assert.Equal("usage", Assert.Single(bot.AuditEntries).Action);
    }

    [Fact]
    public async Task TheReasonIsKeptInEveryAuditRecordOfTheCommandAndShownInTheOutcome()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(TestData.BobId, S1);
        var reply = await bot.RunAsync("revoke", "all @bob @root --yes --reason laptop stolen, ticket 4711");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        Assert.EndsWith("Reason: laptop stolen, ticket 4711", reply);
        var started = Assert.Single(bot.AuditEntries, e => e.Outcome == AuditOutcome.Started);
        Assert.Equal((TestData.BobId, "laptop stolen, ticket 4711"), (started.TargetId, started.GivenReason));
        Assert.All(bot.AuditEntries, e => Assert.Equal("laptop stolen, ticket 4711", e.GivenReason));
    }

    [Fact]
    public async Task WithoutAReasonTheRecordHasNone()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var reply = await bot.RunAsync("revoke", "all @bob --yes");
        Assert.DoesNotContain("Reason:", reply);
        Assert.All(bot.AuditEntries, e => Assert.Null(e.GivenReason));
    }

    [Fact]
    public async Task TheConfirmationShowsTheReasonAndItsSignedButtonCarriesIt()
    {
        var bot = new BotUnderTest { BotOptions = WithButtons }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var reply = await bot.Runner.RunAsync(BotUnderTest.Request("revoke", "all @bob --reason offboarding"), CancellationToken.None);

        Assert.Contains("Reason: offboarding\nNothing has changed yet.", ReplyText.Plain(reply.Text));
        var confirm = reply.Attachments!.Single().Actions.Single(a => a.Id == "confirm").Integration.Context;
        Assert.Equal("offboarding", confirm.GivenReason);
        Assert.True(confirm.IsSignedWith(WithButtons.ActionSecret!));
        Assert.False((confirm with { GivenReason = "something else" }).IsSignedWith(WithButtons.ActionSecret!));
        Assert.Equal("offboarding", Assert.Single(bot.AuditEntries).GivenReason);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task AConfirmedClickCarriesTheReasonIntoTheRecordTheOutcomeAndTheMessage()
    {
        var bot = new BotUnderTest { BotOptions = WithButtons }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var question = await bot.Runner.RunAsync(BotUnderTest.Request("revoke", "all @bob --reason offboarding"), CancellationToken.None);
        var confirm = question.Attachments!.Single().Actions.Single(a => a.Id == "confirm").Integration.Context;

        var click = BotUnderTest.Request("revoke", $"[button] revoke-all {TestData.BobId}") with { Source = "action" };
        var reply = ReplyText.Plain((await bot.Runner.RunActionAsync(confirm, click, CancellationToken.None)).Text);
        await bot.Posts.IdleAsync();

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        Assert.EndsWith("Reason: offboarding", reply);
        Assert.Equal("offboarding", Assert.Single(bot.AuditEntries, e => e.Outcome == AuditOutcome.Started).GivenReason);
        bot.Mattermost.Verify(c => c.CreatePostAsync(It.Is<CreatePostRequest>(p =>
            p.ChannelId == BotUnderTest.DirectChannelOf(TestData.BobId) && p.Message.Contains("Reason: offboarding")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AButtonSentWithoutAReasonStillWorks()
    {
        var bot = new BotUnderTest { BotOptions = WithButtons }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1);
        var old = bot.Buttons.For(BotAction.RevokeAll, TestData.CallerId, [TestData.BobId]).SignWith(WithButtons.ActionSecret!);
        Assert.Null(old.GivenReason);

        var reply = ReplyText.Plain((await bot.Runner.RunActionAsync(old, BotUnderTest.Request("revoke", "[button]") with { Source = "action" }, CancellationToken.None)).Text);
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        Assert.DoesNotContain("Reason:", reply);
    }

    public static TheoryData<string, string> OnSomeoneElse => new()
    {
        { "revoke", "all @bob --yes" },
        { "revoke", $"{S1} @bob" },
        { "revoke", $"token {TokenId}" },
        { "revoke", "everyone --yes" },
        { "deactivate", "@bob --yes" },
        { "activate", "@erin --yes" },
        // One other person among several is enough.
        { "revoke", "all me @bob --yes" },
    };

    [Theory]
    [MemberData(nameof(OnSomeoneElse))]
    public async Task RequireReasonRefusesActingOnSomeoneElseWithoutOneAndDoesNothing(string trigger, string text)
    {
        var bot = Admin(requireReason: true);
        var reply = await bot.RunAsync(trigger, text);

        Assert.Contains("Say why you act on someone else: add `--reason <text>`", reply);
        Assert.Contains("Usage:", reply);
        bot.VerifyNoChangingCall();
        bot.Mattermost.Verify(c => c.GetSessionsAsync(TestData.BobId, It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal("usage", Assert.Single(bot.AuditEntries).Action);
    }

    [Theory]
    [MemberData(nameof(OnSomeoneElse))]
    public async Task RequireReasonActsWhenAReasonIsGiven(string trigger, string text)
    {
        var bot = Admin(requireReason: true);
        var reply = await bot.RunAsync(trigger, text + " --reason ticket 4711");
        Assert.DoesNotContain("Say why", reply);
        Assert.EndsWith("Reason: ticket 4711", reply);
    }

    [Theory]
    [InlineData("revoke", "all")]
    [InlineData("revoke", "all me")]
    [InlineData("revoke", "s0000001")]
    [InlineData("revoke", "token own0000000000000000000000t")]
    public async Task SelfServiceNeverNeedsAReason(string trigger, string text)
    {
        var bot = Admin(requireReason: true).WithSessions(TestData.CallerId, S1);
        bot.Mattermost.Setup(c => c.GetUserAccessTokenAsync("own0000000000000000000000t", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UserAccessToken { Id = "own0000000000000000000000t", UserId = TestData.CallerId });
        bot.Mattermost.Setup(c => c.GetUserAsync(TestData.CallerId, It.IsAny<CancellationToken>())).ReturnsAsync(TestData.Caller("system_admin"));
        var reply = await bot.RunAsync(trigger, text);
        Assert.DoesNotContain("Say why", reply);
        Assert.Contains(":white_check_mark:", reply);
    }

    [Fact]
    public async Task WhereAReasonIsRequiredAnotherPersonsSessionListHasNoButtonsButOnesOwnDoes()
    {
        var bot = new BotUnderTest { BotOptions = WithButtons, RequireReason = true }.CallerRoles("system_admin").WithSessions(TestData.BobId, S1).WithSessions(TestData.CallerId, S1);
        var bobs = await bot.Runner.RunAsync(BotUnderTest.Request("sessions", "@bob"), CancellationToken.None);
        var own = await bot.Runner.RunAsync(BotUnderTest.Request("sessions", ""), CancellationToken.None);
        Assert.Null(bobs.Attachments);
        Assert.NotNull(own.Attachments);
    }

    [Fact]
    public async Task WhereAReasonIsRequiredAClickWithoutOneOnSomeoneElseDoesNothing()
    {
        var bot = Admin(requireReason: true, buttons: true);
        var old = bot.Buttons.For(BotAction.RevokeSession, TestData.CallerId, [TestData.BobId], S1).SignWith(WithButtons.ActionSecret!);
        var reply = ReplyText.Plain((await bot.Runner.RunActionAsync(old, BotUnderTest.Request("revoke", "[button]") with { Source = "action" }, CancellationToken.None)).Text);
        Assert.Contains("Say why you act on someone else", reply);
        bot.VerifyNoChangingCall();
    }

    /// <summary>A reason of this many characters, in words (one long word would be redacted as a pasted secret).</summary>
    private static string Reason(int length) => string.Concat(Enumerable.Repeat("a ", length))[..(length - 1)] + "z";

    /// <summary>A system admin caller, with Bob's session, a token of Bob's, and Erin deactivated.</summary>
    private static BotUnderTest Admin(bool requireReason, bool buttons = false)
    {
        var bot = new BotUnderTest { RequireReason = requireReason, BotOptions = buttons ? WithButtons : new() }
            .CallerRoles("system_admin").WithSessions(TestData.BobId, S1)
            .Add(TestData.User(ErinId, "erin", deleteAt: 1));
        bot.Mattermost.Setup(c => c.GetUserAccessTokenAsync(TokenId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UserAccessToken { Id = TokenId, UserId = TestData.BobId, Description = "CI deploy" });
        bot.Mattermost.Setup(c => c.GetUserAsync(TestData.BobId, It.IsAny<CancellationToken>())).ReturnsAsync(TestData.Bob);
        return bot;
    }

    private static string Describe(BotCommand command)
    {
        var name = command switch
        {
            UsageError u => "Usage: " + new[] { "Say why after", "this one only reads", "is not a user", "Say which session" }.FirstOrDefault(u.Problem.English.Contains, u.Problem.English),
            RevokeAllCommand => "RevokeAll",
            RevokeSessionCommand => "RevokeSession",
            RevokeTokenCommand => "RevokeToken",
            RevokeEveryoneCommand => "RevokeEveryone",
            DeactivateCommand => "Deactivate",
            ActivateCommand => "Activate",
            ListSessionsCommand or AuditLogCommand or HelpCommand => command.GetType().Name,
            _ => command.GetType().Name,
        };
        if (command is UsageError)
        {
            Assert.Equal("", command.GivenReason);
            return name;
        }
        return name + (command.Confirmed ? " yes" : "") + (command.GivenReason.Length > 0 ? $" [{command.GivenReason}]" : "");
    }
}

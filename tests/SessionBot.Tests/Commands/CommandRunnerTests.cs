using Moq;
using SessionBot.Audit;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands;

/// <summary>What every command gets from the dispatcher (<see cref="SessionBot.Commands.CommandRunner"/>): a handler, a record, a reply when a look-up fails.</summary>
public class CommandRunnerTests
{
    private static readonly string S1 = TestData.SessionId(1);

    [Fact]
    public async Task WhenMattermostCannotBeReachedTheReplySaysNothingChanged()
    {
        var bot = new BotUnderTest();
        bot.Mattermost.Setup(c => c.GetUsersByIdsAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.Unreachable, 0, "", "refused"));
        var reply = await bot.RunAsync("revoke", "all @bob");
        Assert.Contains("could not reach Mattermost", reply);
        Assert.Contains("Nothing changed", reply);
        bot.VerifyNoChangingCall();
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

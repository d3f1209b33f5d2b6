using Moq;
using SessionBot.Audit;
using SessionBot.Commands.Deactivate;
using SessionBot.Commands.Revoke;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands;

/// <summary>The audit record around a change (<see cref="SessionBot.Commands.AuditTrail"/>), and what a failed change says.</summary>
public class AuditTrailTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;
    private static readonly string S1 = TestData.SessionId(1);

    private static Task<string> RevokeAllAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<RevokeAllCommand>(new RevokeAllHandler(bot.Pipeline, bot.Trail, bot.Client).HandleAsync, "revoke", text);

    private static Task<string> DeactivateAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<DeactivateCommand>(new DeactivateHandler(bot.Pipeline, bot.Trail, bot.Client, bot.Server, BotUnderTest.Log<DeactivateHandler>()).HandleAsync, "deactivate", text);

    [Fact]
    public async Task TheAuditRecordIsCommittedBeforeTheChangeAndCompletedAfter()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1);
        var order = new List<string>();
        bot.Audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("append")).Returns(Task.CompletedTask);
        bot.Audit.Setup(a => a.CompleteAsync(It.IsAny<Guid>(), AuditOutcome.Done, null, It.IsAny<CancellationToken>())).Callback(() => order.Add("complete")).Returns(Task.CompletedTask);
        bot.Mattermost.Setup(c => c.RevokeAllSessionsAsync(CallerId, It.IsAny<CancellationToken>())).Callback(() => order.Add("revoke")).Returns(Task.CompletedTask);

        await RevokeAllAsync(bot, "all");

        Assert.Equal(["append", "revoke", "complete"], order);
        bot.Audit.Verify(a => a.AppendAsync(It.Is<AuditEntry>(e => e.Outcome == AuditOutcome.Started && e.Action == "revoke-all" && e.TargetId == CallerId), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WhenTheAuditStoreIsDownNothingIsChangedAndTheReplySaysSo()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1);
        bot.Audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("disk full"));
        var reply = await RevokeAllAsync(bot, "all");
        Assert.Contains("the audit record could not be written", reply);
        Assert.Contains("Nothing changed", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task AChangeMattermostRefusesSaysNothingChanged()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        bot.Mattermost.Setup(c => c.SetActiveAsync(BobId, false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.Rejected, 403, "api.context.permissions.app_error", "no"));
        var reply = await DeactivateAsync(bot, "@bob --yes");
        Assert.Contains("Failed for @bob", reply);
        Assert.Contains("api.context.permissions.app_error", reply);
        Assert.Contains("Nothing changed", reply);
        bot.Audit.Verify(a => a.CompleteAsync(It.IsAny<Guid>(), AuditOutcome.Failed, "api.context.permissions.app_error", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AChangeThatTimesOutIsReportedAsUnknownNotAsFailed()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, S1);
        bot.Mattermost.Setup(c => c.RevokeAllSessionsAsync(BobId, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.TimedOut, 0, "", "timeout"));
        var reply = await RevokeAllAsync(bot, "all @bob --yes");
        Assert.Contains("may or may not have taken effect", reply);
        Assert.DoesNotContain("Nothing changed", reply);
        bot.Audit.Verify(a => a.CompleteAsync(It.IsAny<Guid>(), AuditOutcome.Unknown, "timedout", It.IsAny<CancellationToken>()), Times.Once);
    }
}

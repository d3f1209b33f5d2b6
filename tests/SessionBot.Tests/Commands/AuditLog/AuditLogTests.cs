using Moq;
using SessionBot.Audit;
using SessionBot.Commands.AuditLog;

namespace SessionBot.Tests.Commands.AuditLog;

/// <summary><c>/sessions audit [target]</c>: <see cref="AuditLogHandler"/>.</summary>
public class AuditLogTests
{
    private static Task<string> AuditLogAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<AuditLogCommand>(new AuditLogHandler(bot.Pipeline, bot.Trail, bot.Audit.Object, bot.Replies, bot.Time, BotUnderTest.Log<AuditLogHandler>()).HandleAsync, "sessions", text);

    [Fact]
    public async Task AnyoneReadsTheAuditRecordsAboutThemselves()
    {
        var bot = new BotUnderTest();
        bot.Audit.Setup(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new AuditEntry { At = TestData.Now.AddMinutes(-5), CallerId = TestData.RootId, CallerUsername = "root", Action = "revoke-all", TargetId = TestData.CallerId, TargetUsername = "carol", Outcome = AuditOutcome.Done },
            new AuditEntry { At = TestData.Now.AddMinutes(-9), CallerId = TestData.CallerId, CallerUsername = "carol", Action = "list-sessions", TargetId = TestData.BobId, TargetUsername = "bob", Decision = AuditDecision.Refused, Reason = "no permission" },
        ]);

        var reply = await AuditLogAsync(bot, "audit");

        Assert.Contains("Audit records about you or by you", reply);
        Assert.Contains("5 minutes ago (2026-11-22 11:55:00 UTC) · @root · revoke-all → @carol · done", reply);
        Assert.Contains("@carol · list-sessions → @bob · refused: no permission", reply);
        bot.Audit.Verify(a => a.QueryAsync(new AuditQuery(TestData.CallerId, TestData.CallerId, 20), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task APlainUserCannotReadSomeoneElsesAuditRecords()
    {
        var bot = new BotUnderTest();
        var reply = await AuditLogAsync(bot, "audit @bob");
        Assert.Contains("missing permission `edit_other_users`", reply);
        bot.Audit.Verify(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task HelpdeskReadsAPlainUsersAuditRecords()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk");
        bot.Audit.Setup(a => a.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var reply = await AuditLogAsync(bot, "audit @bob");
        Assert.Contains("about or by @bob", reply);
        Assert.Contains("No records yet.", reply);
        bot.Audit.Verify(a => a.QueryAsync(new AuditQuery(TestData.BobId, TestData.BobId, 20), It.IsAny<CancellationToken>()), Times.Once);
    }
}

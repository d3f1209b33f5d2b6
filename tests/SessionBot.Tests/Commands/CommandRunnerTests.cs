using Moq;
using SessionBot.Audit;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Commands;

public class CommandRunnerTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;
    private const string RootId = TestData.RootId;
    private static readonly string S1 = TestData.SessionId(1), S2 = TestData.SessionId(2), S3 = TestData.SessionId(3);

    // ---- /sessions

    [Fact]
    public async Task AnyoneListsTheirOwnSessionsWithoutRolesBeingRead()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2);
        var reply = await bot.RunAsync("sessions", "");
        Assert.Contains("Your sessions** (2)", reply);
        Assert.Contains("`s0000001`", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(CallerId, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.GetRolesByNamesAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PlainUserCannotListAnotherUsersSessions()
    {
        var bot = new BotUnderTest().WithSessions(BobId, S1);
        var reply = await bot.RunAsync("sessions", "@bob");
        Assert.Contains("Not allowed for @bob", reply);
        Assert.Contains("missing permission `edit_other_users`", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Contains(bot.AuditEntries, e => e.Action == "list-sessions" && e.Decision == AuditDecision.Refused && e.TargetId == BobId);
    }

    [Fact]
    public async Task HelpdeskListsAPlainUsersSessions()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(BobId, S1, S2, S3);
        var reply = await bot.RunAsync("sessions", "bob@example.com");
        Assert.Contains("Sessions of @bob** (Bob Stone) (3)", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task HelpdeskCannotListASystemAdminsSessions()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(RootId, S1);
        var reply = await bot.RunAsync("sessions", RootId);
        Assert.Contains("missing permission `manage_system`", reply);
        // The sessions of a target named by id may be read alongside the look-ups; a refusal shows nothing of them.
        Assert.DoesNotContain(S1[..8], reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownUserIsNamedAsTyped()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        var reply = await bot.RunAsync("sessions", "@nobody");
        Assert.Contains("No user @nobody", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MentionIdsFromThePayloadSkipTheUsernameLookUp()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, S1);
        await bot.RunAsync("sessions", "@bob", new() { ["bob"] = BobId });
        bot.Mattermost.Verify(c => c.GetUsersByIdsAsync(It.Is<IReadOnlyCollection<string>>(ids => ids.Contains(BobId) && ids.Contains(CallerId)), It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.GetUsersByUsernamesAsync(It.Is<IReadOnlyCollection<string>>(n => n.Count > 0), It.IsAny<CancellationToken>()), Times.Never);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
    }

    // ---- /revoke <id>

    [Fact]
    public async Task RevokeByPrefixRevokesOnlyThatSession()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2);
        var reply = await bot.RunAsync("revoke", "s0000002");
        Assert.Contains("Revoked session `s0000002`.", reply);
        bot.Mattermost.Verify(c => c.RevokeSessionAsync(CallerId, S2, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.RevokeSessionAsync(It.IsAny<string>(), It.Is<string>(s => s != S2), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task APrefixMatchingSeveralSessionsRevokesNothing()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2);
        var reply = await bot.RunAsync("revoke", "s000");
        Assert.Contains("`s000` matches 2 sessions", reply);
        Assert.Contains("Nothing was revoked", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task AnotherUsersSessionIdWithoutNamingThemRevokesNothing()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(CallerId, S1).WithSessions(BobId, S2);
        var reply = await bot.RunAsync("revoke", S2);
        Assert.Contains("No session of yours starts with", reply);
        Assert.Contains("name them", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task HelpdeskRevokesOneOfBobsSessionsByNamingBob()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk").WithSessions(BobId, S1, S2);
        var reply = await bot.RunAsync("revoke", "s0000001 @bob");
        Assert.Contains("Revoked session `s0000001` of @bob.", reply);
        bot.Mattermost.Verify(c => c.RevokeSessionAsync(BobId, S1, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PlainUserCannotRevokeBobsSessionAndBobsSessionsAreNotRead()
    {
        var bot = new BotUnderTest().WithSessions(BobId, S1);
        var reply = await bot.RunAsync("revoke", "s0000001 @bob");
        Assert.Contains("missing permission `edit_other_users`", reply);
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Never);
        bot.VerifyNoChangingCall();
    }

    // ---- /revoke all

    [Fact]
    public async Task RevokeAllSignsTheCallerOutEverywhere()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1, S2, S3);
        var reply = await bot.RunAsync("revoke", "all");
        Assert.Contains("Revoked 3 sessions of yours", reply);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(CallerId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RevokeAllWithNoSessionsChangesNothing()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        var reply = await bot.RunAsync("revoke", "all @bob");
        Assert.Contains("@bob has no sessions. Nothing changed.", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task BulkRevokeDecidesAndReportsEachTargetOnItsOwn()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk")
            .WithSessions(BobId, S1, S2).WithSessions(RootId, S3);
        var reply = await bot.RunAsync("revoke", "all @bob @root @nobody --yes");

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
        var reply = await bot.RunAsync("revoke", "all @sessionbot");
        Assert.Contains("never acts on its own account", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task ProtectedUsersAreNeverTargets()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, S1);
        bot.ProtectedUsers.Add("@Bob");
        var reply = await bot.RunAsync("revoke", "all @bob");
        Assert.Contains("protected", reply);
        bot.VerifyNoChangingCall();
    }

    // ---- /deactivate and /activate

    [Fact]
    public async Task UserManagerDeactivatesAUser()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_user_manager");
        var reply = await bot.RunAsync("deactivate", "@bob --yes");
        Assert.Contains("Deactivated @bob (Bob Stone): all their sessions ended.", reply);
        bot.Mattermost.Verify(c => c.SetActiveAsync(BobId, false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DeactivatingAnSsoUserWarnsThatTheProviderMayBringThemBack()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").Add(TestData.User("sam0000000000000000000000s", "sam", authService: "saml"));
        var reply = await bot.RunAsync("deactivate", "sam --yes");
        Assert.Contains("sign in through SAML", reply);
        Assert.Contains("come back at their next sign-in", reply);
    }

    [Fact]
    public async Task DeactivatingABotOwnerWarnsThatTheirBotsStop()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        bot.Bots.Add(new MattermostBot { UserId = "buildbot000000000000000000", Username = "buildbot", OwnerId = BobId });
        var reply = await bot.RunAsync("deactivate", "@bob --yes");
        Assert.Contains("Their bots stop working: @buildbot", reply);
    }

    [Fact]
    public async Task HelpdeskCannotDeactivateAndTheCallIsNeverMade()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_helpdesk");
        var reply = await bot.RunAsync("deactivate", "@bob");
        Assert.Contains("missing permission `sysconsole_write_user_management_users`", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task UserManagerCannotDeactivateASystemAdmin()
    {
        var bot = new BotUnderTest().CallerRoles("system_user system_user_manager");
        var reply = await bot.RunAsync("deactivate", "@root");
        Assert.Contains("missing permission `manage_system`", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task LdapAccountsCannotBeDeactivatedHere()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        var reply = await bot.RunAsync("deactivate", "@lee");
        Assert.Contains("managed by LDAP", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task DeactivateMeIsRefusedWhenTheServerDoesNotAllowIt()
    {
        var bot = new BotUnderTest();
        var reply = await bot.RunAsync("deactivate", "me");
        Assert.Contains("does not let people deactivate their own account", reply);
        bot.VerifyNoChangingCall();
    }

    [Fact]
    public async Task DeactivateMeWorksWhenTheServerAllowsIt()
    {
        var bot = new BotUnderTest { SelfDeactivation = true };
        await bot.RunAsync("deactivate", "me --yes");
        bot.Mattermost.Verify(c => c.SetActiveAsync(CallerId, false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ActivateReactivatesADeactivatedUser()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").Add(TestData.User("gone000000000000000000000g", "gone", deleteAt: 1700000000000));
        var reply = await bot.RunAsync("activate", "@gone @bob --yes");
        Assert.Contains("Activated @gone.", reply);
        Assert.Contains("@bob is already active. Nothing changed.", reply);
        bot.Mattermost.Verify(c => c.SetActiveAsync("gone000000000000000000000g", true, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.SetActiveAsync(BobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    // ---- audit around changes, failures

    [Fact]
    public async Task TheAuditRecordIsCommittedBeforeTheChangeAndCompletedAfter()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1);
        var order = new List<string>();
        bot.Audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("append")).Returns(Task.CompletedTask);
        bot.Audit.Setup(a => a.CompleteAsync(It.IsAny<Guid>(), AuditOutcome.Done, null, It.IsAny<CancellationToken>())).Callback(() => order.Add("complete")).Returns(Task.CompletedTask);
        bot.Mattermost.Setup(c => c.RevokeAllSessionsAsync(CallerId, It.IsAny<CancellationToken>())).Callback(() => order.Add("revoke")).Returns(Task.CompletedTask);

        await bot.RunAsync("revoke", "all");

        Assert.Equal(["append", "revoke", "complete"], order);
        bot.Audit.Verify(a => a.AppendAsync(It.Is<AuditEntry>(e => e.Outcome == AuditOutcome.Started && e.Action == "revoke-all" && e.TargetId == CallerId), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WhenTheAuditStoreIsDownNothingIsChangedAndTheReplySaysSo()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, S1);
        bot.Audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("disk full"));
        var reply = await bot.RunAsync("revoke", "all");
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
        var reply = await bot.RunAsync("deactivate", "@bob --yes");
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
        var reply = await bot.RunAsync("revoke", "all @bob --yes");
        Assert.Contains("may or may not have taken effect", reply);
        Assert.DoesNotContain("Nothing changed", reply);
        bot.Audit.Verify(a => a.CompleteAsync(It.IsAny<Guid>(), AuditOutcome.Unknown, "timedout", It.IsAny<CancellationToken>()), Times.Once);
    }

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

    // ---- help, usage, later features

    [Fact]
    public async Task HelpSaysWhatThisCallerMayDo()
    {
        var plain = await new BotUnderTest().RunAsync("revoke", "help");
        Assert.Contains("You may act on your own sessions only.", plain);
        var admin = await new BotUnderTest().CallerRoles("system_admin").RunAsync("revoke", "help");
        Assert.Contains("You may act on other people's sessions.", admin);
    }

    [Fact]
    public async Task BadInputGetsAUsageReplyAndNoMattermostCall()
    {
        var bot = new BotUnderTest();
        var reply = await bot.RunAsync("revoke", "ab");
        Assert.Contains("too short", reply);
        Assert.Contains("Usage:", reply);
        Assert.Empty(bot.Mattermost.Invocations);
    }
}

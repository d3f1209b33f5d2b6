using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Tests.Commands;

/// <summary>A <see cref="CommandRunner"/> over a Moq Mattermost whose users, roles and sessions the test sets.</summary>
internal sealed class BotUnderTest
{
    public Mock<IMattermostClient> Mattermost { get; } = new();
    public Mock<IAuditStore> Audit { get; } = new();
    public List<AuditEntry> AuditEntries { get; } = [];
    public Dictionary<string, MattermostUser> Users { get; } = [];
    public Dictionary<string, List<MattermostSession>> Sessions { get; } = [];
    public List<MattermostBot> Bots { get; } = [];
    public bool SelfDeactivation { get; set; }
    public List<string> ProtectedUsers { get; } = [];
    public string? OpsChannelId { get; set; }
    public BotOptions BotOptions { get; set; } = new();
    public FixedTime Time { get; } = new(TestData.Now);

    public static readonly MattermostRole[] Roles =
    [
        TestData.Role("system_user", "create_post"),
        TestData.Role("system_admin", Permission.ManageSystem, Permission.EditOtherUsers, Permission.ManageUsers, Permission.RevokeUserAccessToken),
        TestData.Role("system_helpdesk", Permission.EditOtherUsers),
        TestData.Role("system_user_manager", Permission.ManageUsers),
    ];

    public BotUnderTest()
    {
        var m = Mattermost;
        m.Setup(c => c.GetUserAsync("me", It.IsAny<CancellationToken>())).ReturnsAsync(TestData.User(TestData.BotId, "sessionbot"));
        m.Setup(c => c.GetUsersByIdsAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> ids, CancellationToken _) => ids.Where(Users.ContainsKey).Select(id => Users[id]).ToList());
        m.Setup(c => c.GetUsersByUsernamesAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> names, CancellationToken _) => Users.Values.Where(u => names.Contains(u.Username)).ToList());
        m.Setup(c => c.GetUserByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string email, CancellationToken _) => Users.Values.FirstOrDefault(u => u.Email == email)
                ?? throw new MattermostException(MattermostFailure.Rejected, 404, "app.user.missing_account.const", "not found"));
        m.Setup(c => c.GetRolesByNamesAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> names, CancellationToken _) => Roles.Where(r => names.Contains(r.Name)).ToList());
        m.Setup(c => c.GetSessionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => Sessions.GetValueOrDefault(id, []).ToList());
        m.Setup(c => c.GetClientConfigAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new Dictionary<string, string> { ["EnableUserDeactivation"] = SelfDeactivation ? "true" : "false" });
        m.Setup(c => c.GetBotsAsync(It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((int page, int _, CancellationToken _) => page == 0 ? Bots.ToList() : []);
        Audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { lock (AuditEntries) AuditEntries.Add(e); })
            .Returns(Task.CompletedTask);

        Add(TestData.Caller(), TestData.Bob, TestData.Alice, TestData.Root, TestData.Lee, TestData.User(TestData.BotId, "sessionbot"));
    }

    public BotUnderTest Add(params MattermostUser[] users)
    {
        foreach (var user in users)
            Users[user.Id] = user;
        return this;
    }

    public BotUnderTest CallerRoles(string roles)
    {
        Users[TestData.CallerId] = TestData.Caller(roles);
        return this;
    }

    public BotUnderTest WithSessions(string userId, params string[] sessionIds)
    {
        Sessions[userId] = sessionIds.Select((id, i) => TestData.Session(id, userId, TimeSpan.FromMinutes(i))).ToList();
        return this;
    }

    /// <summary>The ops channel of the last <see cref="Runner"/>.</summary>
    public OpsChannel? Ops { get; private set; }

    public CommandRunner Runner()
    {
        var time = Time;
        var client = Mattermost.Object;
        var renderer = new ReplyRenderer(Options.Create(new TemplateOptions()));
        var ops = Ops = new OpsChannel(client, renderer, Audit.Object, Options.Create(new MattermostOptions { OpsChannelId = OpsChannelId }), time, TestMetrics.Create(), NullLogger<OpsChannel>.Instance);
        return new CommandRunner(client, new UserDirectory(client), new RoleCache(client, time), new ServerFacts(client, time),
            renderer, Audit.Object, ops, new Buttons(Options.Create(BotOptions), time),
            Options.Create(new PolicyOptions { ProtectedUsers = ProtectedUsers }), Options.Create(BotOptions), time, NullLogger<CommandRunner>.Instance);
    }

    /// <summary>Runs a command as the caller (carol) and returns the reply with Markdown escapes removed, for easy reading.</summary>
    public async Task<string> RunAsync(string trigger, string text, Dictionary<string, string>? mentions = null)
    {
        var reply = (await Runner().RunAsync(new CommandRequest
        {
            Trigger = trigger,
            Text = text,
            UserId = TestData.CallerId,
            UserName = "carol",
            ChannelId = "channel0000000000000000000",
            MentionIds = mentions ?? [],
        }, CancellationToken.None)).Text;
        // Ops-channel notices are posted in the background: wait for them, so tests see every call made.
        await Ops!.IdleAsync();
        return ReplyText.Plain(reply);
    }

    public void VerifyNoChangingCall()
    {
        Mattermost.Verify(c => c.RevokeSessionAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Mattermost.Verify(c => c.RevokeAllSessionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Mattermost.Verify(c => c.RevokeEveryonesSessionsAsync(It.IsAny<CancellationToken>()), Times.Never);
        Mattermost.Verify(c => c.SetActiveAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
        Mattermost.Verify(c => c.RevokeUserAccessTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

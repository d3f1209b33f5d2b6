using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Metrics;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Tests.Commands;

/// <summary>
/// The pieces handlers are made of (the target pipeline, the audit trail, …), composed as the app composes them, over a
/// Moq Mattermost whose users, roles and sessions the test sets and a Moq audit store. Tests make the handler they test
/// from these; the pieces are composed on first use, so set everything up before running a command.
/// </summary>
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
    public bool RequireReason { get; set; }
    public NotifyOptions Notify { get; set; } = new();
    /// <summary>The direct-message channel the Moq Mattermost gives for each user (bot and user).</summary>
    public static string DirectChannelOf(string userId) => "dm" + userId[2..];
    public BotOptions BotOptions { get; set; } = new();
    public FixedTime Time { get; } = new(TestData.Now);

    public static readonly MattermostRole[] Roles =
    [
        TestData.Role("system_user", "create_post"),
        TestData.Role("system_admin", Permission.ManageSystem, Permission.EditOtherUsers, Permission.ManageUsers, Permission.RevokeUserAccessToken),
        TestData.Role("system_helpdesk", Permission.EditOtherUsers),
        TestData.Role("system_user_manager", Permission.ManageUsers),
    ];

    private readonly Lazy<ServiceProvider> services;

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
        m.Setup(c => c.CreateDirectChannelAsync(TestData.BotId, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string userId, CancellationToken _) => new MattermostChannel { Id = DirectChannelOf(userId), Type = "D" });
        Audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { lock (AuditEntries) AuditEntries.Add(e); })
            .Returns(Task.CompletedTask);

        Add(TestData.Caller(), TestData.Bob, TestData.Alice, TestData.Root, TestData.Lee, TestData.User(TestData.BotId, "sessionbot"));
        services = new(Compose);
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

    public IMattermostClient Client => Mattermost.Object;
    public TargetPipeline Pipeline => Get<TargetPipeline>();
    public AuditTrail Trail => Get<AuditTrail>();
    public Confirmation Confirmation => Get<Confirmation>();
    public ReplyRenderer Replies => Get<ReplyRenderer>();
    public Buttons Buttons => Get<Buttons>();
    public ServerFacts Server => Get<ServerFacts>();
    public Readers Readers => Get<Readers>();
    public UserDirectory UserDirectory => Get<UserDirectory>();
    public RoleCache RoleCache => Get<RoleCache>();
    public OpsChannel Ops => Get<OpsChannel>();
    public BackgroundPosts Posts => Get<BackgroundPosts>();
    public IOptions<BotOptions> BotSettings => Get<IOptions<BotOptions>>();

    /// <summary>The dispatcher the endpoints call, for tests of what every command does.</summary>
    public CommandRunner Runner => Get<CommandRunner>();

    public static ILogger<T> Log<T>() => NullLogger<T>.Instance;

    private T Get<T>() where T : notnull => services.Value.GetRequiredService<T>();

    /// <summary>The app's composition of the commands (<see cref="SessionBotServices.AddCommands"/>) over the test doubles.</summary>
    private ServiceProvider Compose()
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddBotMetrics();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton(Mattermost.Object);
        collection.AddSingleton(Audit.Object);
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(BotOptions));
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PolicyOptions { ProtectedUsers = ProtectedUsers, RequireReason = RequireReason }));
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(Notify));
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(new MattermostOptions { OpsChannelId = OpsChannelId }));
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(new TemplateOptions()));
        collection.AddSingleton<ReplyRenderer>();
        collection.AddSingleton<RoleCache>();
        collection.AddSingleton<ServerFacts>();
        collection.AddSingleton<Readers>();
        collection.AddSingleton<Buttons>();
        collection.AddSingleton<BackgroundPosts>();
        collection.AddSingleton<OpsChannel>();
        collection.AddSingleton<AffectedPeople>();
        collection.AddCommands();
        return collection.BuildServiceProvider();
    }

    /// <summary>What Mattermost sends when the caller (carol) types the command.</summary>
    public static CommandRequest Request(string trigger, string text, Dictionary<string, string>? mentions = null) => new()
    {
        Trigger = trigger,
        Text = text,
        UserId = TestData.CallerId,
        UserName = "carol",
        ChannelId = "channel0000000000000000000",
        MentionIds = mentions ?? [],
    };

    /// <summary>Parses the command as the caller types it, hands it to <paramref name="handle"/> and returns the reply as read.</summary>
    public async Task<string> RunAsync<TCommand>(Func<CommandRequest, TCommand, CancellationToken, Task<BotReply>> handle, string trigger, string text,
        Dictionary<string, string>? mentions = null) where TCommand : BotCommand
    {
        var command = Assert.IsType<TCommand>(CommandParser.Parse(trigger, text));
        // As the dispatcher does: the request carries the reason the command was given.
        return await ReadAsync(await handle(Request(trigger, text, mentions) with { GivenReason = command.GivenReason }, command, CancellationToken.None));
    }

    /// <summary>Runs the command through the dispatcher, as the endpoints do, and returns the reply as read.</summary>
    public async Task<string> RunAsync(string trigger, string text, Dictionary<string, string>? mentions = null) =>
        await ReadAsync(await Runner.RunAsync(Request(trigger, text, mentions), CancellationToken.None));

    private async Task<string> ReadAsync(BotReply reply)
    {
        // Ops-channel notices and direct messages are posted in the background: wait for them, so tests see every call made.
        await Posts.IdleAsync();
        return ReplyText.Plain(reply.Text);
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

using System.Text.Json;
using SessionBot.Audit;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// The bot holds a system admin's token, so it must never read or look up anything about a person before the caller
/// was allowed, and must never tell a refused caller more than Mattermost would. Proven from the emulator's request log.
/// </summary>
public class DecideBeforeReadingTests
{
    private static bool SessionsWereRead(World world, string userId) =>
        world.Requests.All.Any(r => r.Method == "GET" && r.Path == $"/api/v4/users/{userId}/sessions");

    private static string BobsFirstSession(World world)
    {
        lock (world.Gate)
            return world.Sessions.Values.First(s => s.UserId == BobId).Id;
    }

    /// <summary>Caller, command, the words after it, and whose sessions must stay unread.</summary>
    public static TheoryData<string, string, string, string> RefusedCommands => new()
    {
        { DanaId, "sessions", "@bob", BobId },                  // a mention: Mattermost sends Bob's id with it
        { DanaId, "sessions", BobId, BobId },                   // a typed id
        { DanaId, "sessions", "bob@example.com", BobId },       // an email
        { DanaId, "sessions", "bob", BobId },                   // a bare username
        { HelpdeskId, "sessions", "@alex", AdminId },           // helpdesk on a system admin
        { HelpdeskId, "sessions", AdminId, AdminId },
        { DanaId, "revoke", "{first} @bob", BobId },            // a session prefix
        { DanaId, "revoke", "{full} @bob", BobId },             // a full session id
        { DanaId, "revoke", "all @bob --yes", BobId },
        { DanaId, "revoke", "all @bob", BobId },
        { HelpdeskId, "revoke", "all @alex --yes", AdminId },
        { HelpdeskId, "revoke", "{alex} @alex", AdminId },
    };

    [Theory]
    [MemberData(nameof(RefusedCommands))]
    public async Task ARefusedCallerNeverMakesTheBotReadTheTargetsSessions(string caller, string trigger, string text, string target)
    {
        await using var bot = await SandboxBot.StartAsync();
        string alexs;
        lock (bot.World.Gate)
            alexs = bot.World.Sessions.Values.First(s => s.UserId == AdminId).Id;
        text = text.Replace("{first}", BobsFirstSession(bot.World)[..8]).Replace("{full}", BobsFirstSession(bot.World)).Replace("{alex}", alexs[..8]);
        bot.World.Requests.Clear();

        var reply = await bot.CommandAsync(caller, trigger, text);

        Assert.Contains("Not allowed", reply);
        Assert.Contains("missing permission", reply);
        Assert.False(SessionsWereRead(bot.World, target), $"/{trigger} {text} read the sessions of {target}");
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task AForgedMentionIdMappingNeverMakesTheBotReadTheSessionsOfThePersonItPointsTo()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Requests.Clear();
        // "@bob", with Alex's id claimed for it: the id is looked up, but it is not Bob's, so nobody is the target.
        using var response = await bot.PostCommandAsync(DanaId, "sessions", "@bob",
            mentions: [KeyValuePair.Create("user_mentions", "bob"), KeyValuePair.Create("user_mentions_ids", AdminId)]);
        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;

        Assert.False(SessionsWereRead(bot.World, AdminId));
        Assert.False(SessionsWereRead(bot.World, BobId));
        Assert.DoesNotContain("alex", reply);
    }

    [Fact]
    public async Task AConfirmClickedBySomeoneWhoHasSinceLostThePermissionReadsAndChangesNothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        var question = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob");
        var confirm = SandboxBot.Button(question, "confirm");
        lock (bot.World.Gate)
            bot.World.Users[HelpdeskId].Roles = "system_user";
        bot.World.Requests.Clear();

        var reply = await bot.ClickAsync(HelpdeskId, confirm);

        Assert.Contains("Not allowed for @bob", reply);
        Assert.Contains("missing permission `edit_other_users`", reply);
        Assert.False(SessionsWereRead(bot.World, BobId));
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task RevokingATokenWithoutTheTokenPermissionIsRefusedBeforeTheTokenOrItsOwnerIsLookedUp()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Requests.Clear();

        var reply = await bot.CommandAsync(DanaId, "revoke", $"token {TinaTokenId}");

        Assert.Contains("missing permission `revoke_user_access_token`", reply);
        Assert.DoesNotContain("tina", reply);
        Assert.DoesNotContain(bot.World.Requests.All, r => r.Path.Contains("/tokens") || r.Path.Contains(TinaId));
        Assert.Empty(bot.Changes);
    }

    [Theory]
    [InlineData("deactivate", "@lee", "LDAP")]
    [InlineData("activate", "@lee", "LDAP")]
    [InlineData("deactivate", "@sam", "GitLab")]
    [InlineData("deactivate", "@bob", "buildbot")]
    public async Task ACallerWhoMayNotChangeAccountsLearnsOnlyWhichPermissionIsMissing(string trigger, string target, string hidden)
    {
        await using var bot = await SandboxBot.StartAsync();

        var reply = await bot.CommandAsync(DanaId, trigger, target + " --yes");

        Assert.Contains("missing permission `sysconsole_write_user_management_users`", reply);
        Assert.DoesNotContain(hidden, reply, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task ThePersonNamedSeveralWaysIsOneTargetInTheConfirmationAndInTheChange()
    {
        await using var bot = await SandboxBot.StartAsync();
        const string text = $"all @bob {BobId} bob@example.com BOB";

        var question = await bot.CommandJsonAsync(HelpdeskId, "revoke", text);
        var asked = ReplyText.Plain(question);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(asked, "@bob"));
        Assert.Equal([BobId], SandboxBot.Button(question, "confirm").GetProperty("t").EnumerateArray().Select(t => t.GetString()));

        bot.World.Requests.Clear();
        var done = await bot.CommandAsync(HelpdeskId, "revoke", text + " --yes");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(done, "@bob"));
        Assert.Single(bot.Changes, r => r.Path == $"/api/v4/users/{BobId}/sessions/revoke/all");
    }

    private static async Task<AuditEntry> NewestRecordByAsync(SandboxBot bot, string callerId)
    {
        var store = (IAuditStore)bot.Services.GetService(typeof(IAuditStore))!;
        return (await store.QueryAsync(new AuditQuery(CallerId: callerId, Limit: 1), CancellationToken.None)).Single();
    }

    [Fact]
    public async Task ATokenValuePastedInsteadOfATokenIdIsNotKeptInTheAuditTrail()
    {
        await using var bot = await SandboxBot.StartAsync();
        const string pasted = "x7kq2m9pz4wb8nc3rt6yf1hd5j";

        Assert.Contains("No access token", await bot.CommandAsync(TinaId, "revoke", $"token {pasted}"));

        var record = await NewestRecordByAsync(bot, TinaId);
        Assert.Equal("/revoke token [redacted]", record.CommandText);
        Assert.Null(record.Detail);
    }

    [Fact]
    public async Task WhatACommandResolvedToIsKeptAndEveryOther26CharacterWordIsRedacted()
    {
        await using var bot = await SandboxBot.StartAsync();

        await bot.CommandAsync(TinaId, "revoke", $"token {TinaTokenId}");
        var token = await NewestRecordByAsync(bot, TinaId);
        Assert.Equal($"/revoke token {TinaTokenId}", token.CommandText);
        Assert.Equal(TinaTokenId, token.Detail);

        await bot.CommandAsync(HelpdeskId, "sessions", BobId);
        Assert.Equal($"/sessions {BobId}", (await NewestRecordByAsync(bot, HelpdeskId)).CommandText);

        await bot.CommandAsync(HelpdeskId, "sessions", "nobody00000000000000000000");
        Assert.Equal("/sessions [redacted]", (await NewestRecordByAsync(bot, HelpdeskId)).CommandText);

        // A full id that is not one of Bob's sessions: Mattermost refuses it, and the record forgets it.
        var notASession = "q1w2e3r4t5y6u7i8o9p0a1s2d3";
        Assert.Contains("No session of @bob starts with", await bot.CommandAsync(HelpdeskId, "revoke", $"{notASession} @bob"));
        var revoke = await NewestRecordByAsync(bot, HelpdeskId);
        Assert.Equal("/revoke [redacted] @bob", revoke.CommandText);
        Assert.Null(revoke.Detail);

        var bobs = BobsFirstSession(bot.World);
        Assert.Contains("Revoked session", await bot.CommandAsync(HelpdeskId, "revoke", $"{bobs} @bob"));
        Assert.Equal(bobs, (await NewestRecordByAsync(bot, HelpdeskId)).Detail);
    }

    [Fact]
    public async Task AProtectedUserNamedByEmailIsProtected()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Policy:ProtectedUsers:0"] = "Bob@Example.com" });

        var reply = await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");

        Assert.Contains("protected by the bot's configuration", reply);
        Assert.Empty(bot.Changes);
    }
}

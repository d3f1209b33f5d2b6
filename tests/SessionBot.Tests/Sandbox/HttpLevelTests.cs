using Microsoft.Extensions.DependencyInjection;
using SessionBot.Audit;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>Every command and refusal, the bot against the emulator over real HTTP.</summary>
public class HttpLevelTests
{
    private static int SessionsOf(World world, string userId)
    {
        lock (world.Gate)
            return world.Sessions.Values.Count(s => s.UserId == userId);
    }

    private static string BobsFirstSession(World world)
    {
        lock (world.Gate)
            return world.Sessions.Values.First(s => s.UserId == BobId).Id;
    }

    [Fact]
    public async Task AnyoneListsTheirSessionsAndNoSecretIsShown()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(DanaId, "sessions", "");
        Assert.Contains("**Your sessions** (4) · 1 expired", reply);
        Assert.Contains("`k1m2n3p4` **Desktop app**", reply);
        Assert.Contains("**iOS app**", reply);
        lock (bot.World.Gate)
        {
            foreach (var session in bot.World.Sessions.Values)
            {
                Assert.DoesNotContain(session.Props["csrf"], reply, StringComparison.Ordinal);
                Assert.DoesNotContain(session.Token, reply, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RevokingOneSessionByPrefixEndsExactlyThatSession()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(DanaId, "revoke", "w1n2");
        Assert.Contains("Revoked session `w1n2d3o4`.", reply);
        Assert.False(bot.World.Sessions.ContainsKey("w1n2d3o4w5s6c7h8r9o0m1e2a3"));
        Assert.Equal(3, SessionsOf(bot.World, DanaId));
        var change = Assert.Single(bot.Changes);
        Assert.Equal(("POST", $"/api/v4/users/{DanaId}/sessions/revoke"), (change.Method, change.Path));
    }

    [Fact]
    public async Task RevokeAllSignsTheCallerOutEverywhere()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("Revoked 4 sessions of yours", await bot.CommandAsync(DanaId, "revoke", "all"));
        Assert.Equal(0, SessionsOf(bot.World, DanaId));
    }

    [Fact]
    public async Task APlainUsersRefusalNeverShowsOrChangesTheTarget()
    {
        await using var bot = await SandboxBot.StartAsync();
        var replies = new[]
        {
            await bot.CommandAsync(DanaId, "sessions", "@bob"),
            await bot.CommandAsync(DanaId, "revoke", "all @bob"),
            await bot.CommandAsync(DanaId, "deactivate", "@bob"),
            await bot.CommandAsync(DanaId, "sessions", BobId),
        };
        Assert.Contains("missing permission `edit_other_users`", replies[0]);
        Assert.Contains("missing permission `edit_other_users`", replies[1]);
        Assert.Contains("missing permission `sysconsole_write_user_management_users`", replies[2]);
        Assert.Contains("missing permission `edit_other_users`", replies[3]);
        // Bob's sessions may be read alongside the look-ups (his id came with the mention), but nothing of them is shown.
        string[] bobsSessions;
        lock (bot.World.Gate)
            bobsSessions = [.. bot.World.Sessions.Values.Where(s => s.UserId == BobId).Select(s => s.Id[..8])];
        Assert.Equal(2, bobsSessions.Length);
        foreach (var reply in replies)
            Assert.All(bobsSessions, id => Assert.DoesNotContain(id, reply, StringComparison.Ordinal));
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task HelpdeskActsOnPlainUsersButNotOnAdmins()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("Sessions of @bob** (Bob Stone) (2)", await bot.CommandAsync(HelpdeskId, "sessions", "@bob"));
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await bot.CommandAsync(HelpdeskId, "revoke", "all bob@example.com --yes"));
        Assert.Equal(0, SessionsOf(bot.World, BobId));

        bot.World.Requests.Clear();
        var adminSessions = SessionsOf(bot.World, AdminId);
        Assert.Contains("missing permission `manage_system`", await bot.CommandAsync(HelpdeskId, "revoke", "all @alex"));
        Assert.Contains("missing permission `sysconsole_write_user_management_users`", await bot.CommandAsync(HelpdeskId, "deactivate", "@dana"));
        Assert.Empty(bot.Changes);
        Assert.Equal(adminSessions, SessionsOf(bot.World, AdminId));
    }

    [Fact]
    public async Task AUserManagerOffboardsSomeoneAndTheirBotsStop()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(UserManagerId, "deactivate", "@bob --yes");
        Assert.Contains("Deactivated @bob (Bob Stone): all their sessions ended.", reply);
        Assert.Contains("Their bots stop working: @buildbot", reply);
        Assert.NotEqual(0, bot.World.Users[BobId].DeleteAt);
        Assert.Equal(0, SessionsOf(bot.World, BobId));
        Assert.NotEqual(0, bot.World.Bots[BuildBotId].DeleteAt);
        Assert.Contains(bot.World.Posts, p => p.ChannelId == OpsChannelId && p.Message.Contains("`@uma` deactivate `@bob`: done."));

        Assert.Contains("Activated @bob", await bot.CommandAsync(UserManagerId, "activate", "@bob --yes"));
        Assert.Equal(0, bot.World.Users[BobId].DeleteAt);
    }

    [Fact]
    public async Task DeactivationRespectsSsoLdapAndAdminRules()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("sign in through GitLab", await bot.CommandAsync(UserManagerId, "deactivate", "@sam --yes"));
        bot.World.Requests.Clear();
        var reply = await bot.CommandAsync(UserManagerId, "deactivate", "@lee @alex @erin @nobody");
        Assert.Contains("managed by LDAP", reply);
        Assert.Contains("Not allowed for @alex", reply);
        Assert.Contains("missing permission `manage_system`", reply);
        Assert.Contains("@erin is already deactivated. Nothing changed.", reply);
        Assert.Contains("No user @nobody", reply);
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task SelfDeactivationFollowsTheServerSetting()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("does not let people deactivate their own account", await bot.CommandAsync(DanaId, "deactivate", "me"));
        Assert.Empty(bot.Changes);

        await using var fresh = await SandboxBot.StartAsync();
        fresh.World.ClientConfig["EnableUserDeactivation"] = "true";
        Assert.Contains("Deactivated @dana", await fresh.CommandAsync(DanaId, "deactivate", "me --yes"));
        Assert.NotEqual(0, fresh.World.Users[DanaId].DeleteAt);
    }

    [Fact]
    public async Task TheBotNeverActsOnItself()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("never acts on its own account", await bot.CommandAsync(AdminId, "revoke", "all @sessionbot"));
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task AnotherUsersSessionIdWithoutTheirNameRevokesNothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(AdminId, "revoke", "k1m2n3p4q5r6s7t8u9v0w1x2y3");
        Assert.Contains("No session of yours starts with", reply);
        Assert.Empty(bot.Changes);
        Assert.Contains("Revoked session `k1m2n3p4` of @dana", await bot.CommandAsync(AdminId, "revoke", "k1m2n3p4q5r6s7t8u9v0w1x2y3 @dana"));
    }

    [Fact]
    public async Task TheAuditTrailNamesThePersonWhoAsked()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        var reply = await bot.CommandAsync(BobId, "sessions", "audit");
        Assert.Contains("@hana · revoke-all → @bob · done", reply);
    }

    [Fact]
    public async Task LookUpsRunInParallelAndRolesAreCachedSoACommandWaitsOnFewRoundTrips()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(HelpdeskId, "sessions", "@bob");
        await bot.CommandAsync(UserManagerId, "sessions", "@dana");
        // With some latency, calls made in parallel overlap in the emulator's log and count as one round trip.
        bot.World.Latency = TimeSpan.FromMilliseconds(100);

        async Task<int> RoundTripsOf(string userId, string trigger, string text)
        {
            bot.World.Requests.Clear();
            await bot.CommandAsync(userId, trigger, text);
            // The ops-channel notice and the direct message to the person acted on are posted in the background after
            // the reply: not part of the command's own work.
            return RequestLog.DependentRoundTrips(bot.World.Requests.All.Where(r => !SandboxBot.IsBackgroundPost(r)));
        }

        Assert.Equal(1, await RoundTripsOf(DanaId, "sessions", ""));
        // Another person's sessions are read only once the caller is allowed: the look-ups, then the read.
        Assert.Equal(2, await RoundTripsOf(HelpdeskId, "sessions", "@bob"));
        // A full session id is revoked without reading first (Mattermost refuses an id that is not Bob's) ...
        Assert.Equal(2, await RoundTripsOf(HelpdeskId, "revoke", BobsFirstSession(bot.World) + " @bob"));
        // ... while a prefix needs Bob's sessions, read after the decision: the one command over the budget of two.
        Assert.Equal(3, await RoundTripsOf(HelpdeskId, "revoke", BobsFirstSession(bot.World)[..8] + " @bob"));
        Assert.Equal(2, await RoundTripsOf(HelpdeskId, "revoke", "all @lee --yes"));
        Assert.Equal(2, await RoundTripsOf(UserManagerId, "deactivate", "@bob --yes"));
        Assert.Equal(2, await RoundTripsOf(UserManagerId, "activate", "@bob --yes"));
        // A username Mattermost did not resolve (no mention) is looked up first: the sessions follow.
        Assert.Equal(2, await RoundTripsOf(HelpdeskId, "sessions", "sam"));
        // One's own sessions are read alongside the look-ups.
        Assert.Equal(1, await RoundTripsOf(DanaId, "sessions", "@dana"));
        Assert.Equal(2, await RoundTripsOf(DanaId, "revoke", "all"));
        // The people acted on were told meanwhile, off the reply's path: the filter above is what kept those calls out.
        Assert.Single(bot.World.DirectMessagesOf(LeeId));
        Assert.Equal(3, bot.World.DirectMessagesOf(BobId).Count);
    }

    [Fact]
    public async Task TheReplySaysHowLongItWaitedOnMattermostCountingParallelCallsOnce()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(HelpdeskId, "sessions", "@bob");
        // Long enough that a busy machine's scheduling delays cannot make one wait look like two.
        bot.World.Latency = TimeSpan.FromSeconds(1);

        // Two look-ups at once (the mention's id, and a username Mattermost did not resolve), then two revokes at once:
        // four calls in two waits.
        bot.World.Requests.Clear();
        using var response = await bot.PostCommandAsync(HelpdeskId, "revoke", "all @bob sam --yes");
        Assert.Equal(4, bot.World.Requests.All.Count(r => !SandboxBot.IsBackgroundPost(r)));
        Assert.Equal(2, RequestLog.DependentRoundTrips(bot.World.Requests.All.Where(r => !SandboxBot.IsBackgroundPost(r))));
        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        var waited = double.Parse(System.Text.RegularExpressions.Regex.Match(timing, @"^mattermost;dur=([0-9.]+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // About two latencies, never four: the lower bound allows for the timer firing a little early on the other clock.
        Assert.InRange(waited, 1900, 3800);
    }

    [Fact]
    public async Task TheReplyDoesNotWaitForTheOpsChannelNotice()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Mattermost:TimeoutSeconds"] = "10" });
        bot.World.Faults.Add(new Fault("/api/v4/posts", FaultKind.Latency) { Latency = TimeSpan.FromSeconds(3) });

        using var response = await bot.PostCommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", ReplyText.Plain(await response.Content.ReadAsStringAsync()));
        // Answered while the notice was still on its way: the emulator logs a call when it has answered it.
        Assert.DoesNotContain(bot.World.Requests.All, r => r.Path == "/api/v4/posts");

        await bot.OpsNoticesPostedAsync();
        // The notice, and Bob's direct message (its channel first), were both posted after the reply.
        var notice = Assert.Single(bot.World.Requests.All, r => r.Path == "/api/v4/posts" && r.Status == 201 && r.Body.Contains(OpsChannelId));
        Assert.Contains("revoke all sessions of", notice.Body);
        Assert.Single(bot.World.DirectMessagesOf(BobId));
    }

    [Fact]
    public async Task AWebhookCommandInAPublicChannelReadsNothingAndIsRecordedAsRefusedButRunsInTheOpsChannel()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Requests.Clear();

        var refused = await bot.WebhookAsync(HelpdeskId, TownSquareId, "sessions @bob");

        Assert.Equal(":x: SessionBot takes commands from this webhook only in the ops channel. Nothing changed.", refused);
        Assert.Empty(bot.World.Requests.All);
        var entry = Assert.Single(await bot.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery(CallerId: HelpdeskId), CancellationToken.None));
        Assert.Equal((TownSquareId, "webhook", "/sessions @bob", "hana"), (entry.ChannelId, entry.Source, entry.CommandText, entry.CallerUsername));
        Assert.Equal((AuditDecision.Refused, "the channel is not one webhook commands are taken from"), (entry.Decision, entry.Reason));

        Assert.Contains("Sessions of `@bob`", await bot.WebhookAsync(HelpdeskId, OpsChannelId, "sessions @bob"));
        Assert.Contains(bot.World.Requests.All, r => r.Path == $"/api/v4/users/{BobId}/sessions");
    }
}

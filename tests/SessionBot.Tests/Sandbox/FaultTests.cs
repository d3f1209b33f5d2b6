using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>Upstream faults: each gives a clear reply that says whether anything changed, and never a 5xx.</summary>
public class FaultTests
{
    private static int DanasSessions(World world)
    {
        lock (world.Gate)
            return world.Sessions.Values.Count(s => s.UserId == DanaId);
    }

    [Fact]
    public async Task AServerErrorWhileLookingUpChangesNothingAndSaysSo()
    {
        // The emulator answers the error at once; a longer attempt timeout keeps a loaded machine (parallel tests) from
        // turning a slow attempt into "did not answer", which this test is not about.
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Mattermost:TimeoutSeconds"] = "20" });
        bot.World.Faults.Add(new Fault("/api/v4/users/" + DanaId + "/sessions", FaultKind.ServerError) { Method = "GET" });
        var reply = await bot.CommandAsync(DanaId, "revoke", "all");
        Assert.Contains("internal error", reply);
        Assert.Contains("Nothing changed", reply);
        Assert.Empty(bot.Changes);
        Assert.Equal(3, bot.World.Requests.All.Count(r => r.Path.EndsWith("/sessions") && r.Method == "GET"));
    }

    [Fact]
    public async Task AReadThatFailsOnceIsRetried()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Faults.Add(new Fault("/api/v4/users/" + DanaId + "/sessions", FaultKind.DropConnection) { Method = "GET", Times = 1 });
        Assert.Contains("Your sessions** (4)", await bot.CommandAsync(DanaId, "sessions", ""));
    }

    [Fact]
    public async Task AChangeWhoseAnswerIsLostIsReportedAsUnknownAndNotRepeated()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Faults.Add(new Fault("/api/v4/users/" + DanaId + "/sessions/revoke/all", FaultKind.ServerError) { AfterEffect = true });
        var reply = await bot.CommandAsync(DanaId, "revoke", "all");
        Assert.Contains("may or may not have taken effect", reply);
        Assert.Single(bot.Changes);
        Assert.Equal(0, DanasSessions(bot.World));
    }

    [Fact]
    public async Task ADroppedConnectionOnAChangeIsReportedAsUnknown()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Faults.Add(new Fault("/api/v4/users/" + BobId + "/active", FaultKind.DropConnection));
        var reply = await bot.CommandAsync(UserManagerId, "deactivate", "@bob --yes");
        Assert.Contains("Not sure whether it worked for @bob", reply);
        Assert.Single(bot.Changes);
    }

    [Fact]
    public async Task AShortRateLimitIsWaitedOutAndTheChangeIsMade()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Faults.Add(new Fault("/api/v4/users/" + DanaId + "/sessions/revoke/all", FaultKind.RateLimited) { RetryAfterSeconds = 0, Times = 1 });
        Assert.Contains("Revoked 4 sessions of yours", await bot.CommandAsync(DanaId, "revoke", "all"));
        Assert.Equal(0, DanasSessions(bot.World));
    }

    [Fact]
    public async Task ALongRateLimitIsReportedAndNothingChanges()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Faults.Add(new Fault("/api/v4/users/" + DanaId + "/sessions/revoke/all", FaultKind.RateLimited) { RetryAfterSeconds = 120 });
        var reply = await bot.CommandAsync(DanaId, "revoke", "all");
        Assert.Contains("rate limiting", reply);
        Assert.Contains("Nothing changed", reply);
        Assert.Equal(4, DanasSessions(bot.World));
    }

    [Fact]
    public async Task ASlowChangeTimesOutAsUnknown()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Mattermost:TimeoutSeconds"] = "1.5" });
        bot.World.Faults.Add(new Fault("/api/v4/users/" + DanaId + "/sessions/revoke/all", FaultKind.Latency) { Latency = TimeSpan.FromSeconds(60) });
        var reply = await bot.CommandAsync(DanaId, "revoke", "all");
        Assert.Contains("did not answer in time", reply);
        Assert.Contains("may or may not have taken effect", reply);
    }

    [Fact]
    public async Task ABadBotTokenIsExplainedAndNothingChanges()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Mattermost:BotToken"] = "revoked-token" });
        var reply = await bot.CommandAsync(HelpdeskId, "revoke", "all @bob");
        Assert.Contains("does not accept SessionBot's own token", reply);
        Assert.Contains("Nothing changed", reply);
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task AnUnreachableMattermostIsExplainedAndNothingChanges()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.Emulator.DisposeAsync();
        var reply = await bot.CommandAsync(DanaId, "revoke", "all");
        Assert.Contains("could not reach Mattermost", reply);
        Assert.Contains("Nothing changed", reply);
    }
}

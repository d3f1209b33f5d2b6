using System.Text.Json;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>Work that takes longer than the threshold is answered at once and finished through response_url.</summary>
public class SlowWorkTests
{
    private static readonly Dictionary<string, string?> FastThreshold = new() { ["Bot:SlowReplyAfterSeconds"] = "0.2", ["Mattermost:TimeoutSeconds"] = "5" };

    [Fact]
    public async Task ASlowCommandAnswersAtOnceAndDeliversTheResultToTheResponseUrl()
    {
        await using var bot = await SandboxBot.StartAsync(FastThreshold);
        bot.World.Faults.Add(new Fault($"/api/v4/users/{DanaId}/sessions/revoke/all", FaultKind.Latency) { Latency = TimeSpan.FromSeconds(2) });

        var reply = await bot.CommandJsonAsync(DanaId, "revoke", "all", responseUrl: "https://chat.example.com/hooks/commands/slowcmd1");

        Assert.Contains("Working on it", reply.GetProperty("text").GetString());
        var delivered = await bot.World.ResponseUrls.FirstPostToAsync("slowcmd1").WaitAsync(TimeSpan.FromSeconds(30));
        using var json = JsonDocument.Parse(delivered);
        Assert.Equal("ephemeral", json.RootElement.GetProperty("response_type").GetString());
        Assert.Contains("Revoked 4 sessions of yours", ReplyText.Plain(json.RootElement));
        Assert.Single(bot.World.ResponseUrls.PostsTo("slowcmd1"));
    }

    [Fact]
    public async Task AFastCommandAnswersDirectlyAndPostsNothingLater()
    {
        // A threshold no loaded machine can miss: the command finishes first, so the reply is the result itself.
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Bot:SlowReplyAfterSeconds"] = "25" });
        var reply = await bot.CommandJsonAsync(DanaId, "sessions", "", responseUrl: "https://chat.example.com/hooks/commands/fastcmd1");
        Assert.Contains("Your sessions", reply.GetProperty("text").GetString());
        Assert.Empty(bot.World.ResponseUrls.PostsTo("fastcmd1"));
    }

    [Fact]
    public async Task AResponseUrlIsOnlyEverPostedToOnTheConfiguredMattermost()
    {
        await using var bot = await SandboxBot.StartAsync(FastThreshold);
        bot.World.Faults.Add(new Fault($"/api/v4/users/{DanaId}/sessions", FaultKind.Latency) { Latency = TimeSpan.FromSeconds(1), Method = "GET" });

        // A response_url naming another host is rebased onto Mattermost:Url, so the result still lands in Mattermost.
        await bot.CommandJsonAsync(DanaId, "sessions", "", responseUrl: "http://attacker.example/hooks/commands/elsewhere1");
        var delivered = await bot.World.ResponseUrls.FirstPostToAsync("elsewhere1").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("Your sessions", delivered);

        // Anything that is not a command hook is never posted to: the command is simply waited for.
        var reply = await bot.CommandJsonAsync(DanaId, "sessions", "", responseUrl: "http://attacker.example/steal");
        Assert.Contains("Your sessions", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ALongBulkRunReportsProgressAndTheResultWithinFivePosts()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>(FastThreshold) { ["Bot:BulkConcurrency"] = "1" });
        var targets = new[] { DanaId, BobId, SamId, TinaId, LeeId, HelpdeskId, UserManagerId, ErinId };
        foreach (var target in targets)
            bot.World.Faults.Add(new Fault($"/api/v4/users/{target}/sessions/revoke/all", FaultKind.Latency) { Latency = TimeSpan.FromMilliseconds(300) });

        var reply = await bot.CommandJsonAsync(AdminId, "revoke", "all @dana @bob @sam @tina @lee @hana @uma @erin --yes", responseUrl: "https://chat.example.com/hooks/commands/bulk1");
        Assert.Contains("Working on it", reply.GetProperty("text").GetString());

        // The final result is the post that reports every target.
        var final = await WaitForPostAsync(bot.World, "bulk1", p => p.Contains("@erin"));
        Assert.NotEmpty(final);
        var posts = bot.World.ResponseUrls.PostsTo("bulk1");
        Assert.InRange(posts.Count, 2, 5);
        Assert.Contains(posts, p => p.Contains("Done ") && p.Contains(" of 8"));
        Assert.Contains("Signed @dana (Dana Devices) out everywhere", ReplyText.Plain(final));
    }

    /// <summary>The post matching <paramref name="match"/>, waiting for new posts as they arrive (no sleeping).</summary>
    private static async Task<string> WaitForPostAsync(World world, string id, Func<string, bool> match)
    {
        for (var seen = 0; seen < ResponseUrlSink.MaxPosts; seen++)
        {
            var posts = world.ResponseUrls.PostsTo(id);
            if (posts.FirstOrDefault(match) is { } found)
                return found;
            await world.ResponseUrls.NextPostToAsync(id, posts.Count).WaitAsync(TimeSpan.FromSeconds(30));
        }
        return "";
    }
}

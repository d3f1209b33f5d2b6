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
        Assert.Contains("Revoked 4 sessions of yours", json.RootElement.GetProperty("text").GetString()!.Replace("\\", ""));
        Assert.Single(bot.World.ResponseUrls.PostsTo("slowcmd1"));
    }

    [Fact]
    public async Task AFastCommandAnswersDirectlyAndPostsNothingLater()
    {
        await using var bot = await SandboxBot.StartAsync(FastThreshold);
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
}

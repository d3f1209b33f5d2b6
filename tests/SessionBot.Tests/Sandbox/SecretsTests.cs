using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

public class SecretsTests
{
    private static readonly (string User, string Trigger, string Text)[] EveryCommand =
    [
        (DanaId, "sessions", ""), (DanaId, "sessions", "help"), (DanaId, "sessions", "audit"), (HelpdeskId, "sessions", "@dana"),
        (HelpdeskId, "sessions", "@alex"), (DanaId, "sessions", "@bob"), (DanaId, "revoke", "k1m2"), (DanaId, "revoke", "zzzz"),
        (DanaId, "revoke", "x"), (TinaId, "revoke", "all"), (HelpdeskId, "revoke", "all @bob @alex @nobody"), (AdminId, "revoke", $"token {TinaTokenId}"),
        (AdminId, "revoke", "everyone"), (UserManagerId, "deactivate", "@sam @lee @alex"), (UserManagerId, "activate", "@erin"),
        (DanaId, "deactivate", "me"), (DanaId, "deactivate", "help"), (HelpdeskId, "sessions", "audit @dana"),
    ];

    [Fact]
    public async Task NoTokenOrCsrfValueAppearsInAnyLogLineOrReply()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Mattermost:TimeoutSeconds"] = "0.5" });
        var secrets = new List<string> { BotToken, SandboxBot.CommandToken, "http-test-webhook-token", "sandbox-tina-token", SandboxBot.ActionSecret };
        lock (bot.World.Gate)
        {
            secrets.AddRange(bot.World.Sessions.Values.Select(s => s.Token));
            secrets.AddRange(bot.World.Sessions.Values.Select(s => s.Props["csrf"]));
            secrets.AddRange(bot.World.AccessTokens.Values.Select(t => t.Token));
        }

        var replies = new List<string>();
        foreach (var (user, trigger, text) in EveryCommand)
            replies.Add((await bot.CommandJsonAsync(user, trigger, text)).ToString());
        // The same commands through every fault kind, on reads and on changes.
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            bot.World.Faults.Add(new Fault("/api/v4/", kind) { Latency = TimeSpan.FromSeconds(2), RetryAfterSeconds = 0, Times = 4 });
            foreach (var (user, trigger, text) in EveryCommand.Take(12))
                replies.Add((await bot.CommandJsonAsync(user, trigger, text)).ToString());
            bot.World.Faults.Clear();
        }
        // Buttons: a confirmed click, a replay, a click by someone else.
        var question = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @dana");
        replies.Add(question.ToString());
        replies.Add(await bot.ClickAsync(AdminId, SandboxBot.Button(question, "confirm")));
        replies.Add(await bot.ClickAsync(HelpdeskId, SandboxBot.Button(question, "confirm")));
        replies.Add(await bot.ClickAsync(HelpdeskId, SandboxBot.Button(question, "confirm")));
        using (var client = bot.CreateClient())
        {
            replies.Add(await client.GetStringAsync("/readyz"));
            var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["command"] = "/revoke", ["token"] = "wrong", ["user_id"] = DanaId, ["text"] = "all" });
            replies.Add(await (await client.PostAsync("/mattermost/commands", forged)).Content.ReadAsStringAsync());
        }

        var logs = bot.Logs.Lines.Select(l => l.ToString()).ToArray();
        // The check reads real lines: the framework's at Debug and Trace, and the bot's own about failed calls.
        Assert.Contains(logs, l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("SessionBot.", StringComparison.Ordinal) && l.StartsWith("Warning", StringComparison.Ordinal));
        foreach (var secret in secrets.Where(s => s.Length > 0).Distinct())
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(replies, r => r.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheTokenOfARefusedGetIsInNoLineTheBotWrites()
    {
        await using var bot = await SandboxBot.StartAsync();
        using var client = bot.CreateClient();

        var reply = await client.GetStringAsync($"/mattermost/commands?command=%2Frevoke&token={SandboxBot.CommandToken}&user_id={DanaId}&user_name=dana&text=all");

        Assert.Contains("must be registered in Mattermost with method POST", reply);
        Assert.DoesNotContain(SandboxBot.CommandToken, reply, StringComparison.Ordinal);
        Assert.Empty(bot.World.Requests.All);
        // ASP.NET Core's own request log (Microsoft.AspNetCore.Hosting at Information, off by default) writes the URL
        // as it came, token included: the reason a GET is refused. The bot's own lines never hold it.
        Assert.Contains(bot.Logs.Lines, l => l.Category.StartsWith("SessionBot.", StringComparison.Ordinal) && l.Message.Contains("Mattermost:GetTriggers"));
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Category.StartsWith("SessionBot.", StringComparison.Ordinal) && l.ToString().Contains(SandboxBot.CommandToken, StringComparison.Ordinal));
    }
}

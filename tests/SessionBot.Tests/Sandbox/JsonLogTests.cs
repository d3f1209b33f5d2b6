using System.Text.Json;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// <c>Logging:Console:FormatterName=json</c>, as a log pipeline reads it: the bot in a process of its own (Production
/// settings from environment variables) against the emulator, its standard output read line by line.
/// </summary>
public class JsonLogTests
{
    private const string CommandToken = "json-log-command-token-000";
    private const string WebhookToken = "json-log-webhook-token-000";
    private const string ActionSecret = "json-log-action-secret-0123456789abcdef";

    [Fact]
    public async Task EveryLineIsOneJsonObjectAndNoneHoldsASecret()
    {
        await using var emulator = await EmulatorServer.StartAsync(CreateDemoWorld());
        var data = Directory.CreateTempSubdirectory("sessionbot-json-log-");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
            ["Logging__LogLevel__Default"] = "Trace",
            ["Mattermost__Url"] = emulator.BaseUrl,
            ["Mattermost__BotToken"] = BotToken,
            ["Mattermost__OpsChannelId"] = OpsChannelId,
            ["Mattermost__WebhookTokens__0"] = WebhookToken,
            ["Bot__PublicUrl"] = "http://sessionbot.test",
            ["Bot__ActionSecret"] = ActionSecret,
            ["Audit__ConnectionString"] = $"Data Source={Path.Combine(data.FullName, "audit.db")}",
        };
        foreach (var trigger in new[] { "sessions", "revoke", "deactivate", "activate" })
            environment[$"Mattermost__CommandTokens__{trigger}"] = CommandToken;
        var secrets = new List<string> { BotToken, CommandToken, WebhookToken, ActionSecret };
        lock (emulator.World.Gate)
        {
            secrets.AddRange(emulator.World.Sessions.Values.Select(s => s.Token));
            secrets.AddRange(emulator.World.Sessions.Values.Select(s => s.Props["csrf"]));
            secrets.AddRange(emulator.World.AccessTokens.Values.Select(t => t.Token));
        }

        await using var bot = BotProcess.Start(environment, "--urls", "http://127.0.0.1:0");
        var listening = await bot.LineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var address = JsonDocument.Parse(listening).RootElement.GetProperty("State").GetProperty("address").GetString()!;
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var (user, name, text) in new[] { (DanaId, "dana", "/sessions"), (HelpdeskId, "hana", "/revoke all @bob"), (AdminId, "alex", $"/revoke token {TinaTokenId}"), (DanaId, "dana", "/deactivate @lee") })
        {
            var trigger = text.Split(' ')[0];
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["channel_id"] = TownSquareId,
                ["command"] = trigger,
                ["team_id"] = TeamId,
                ["text"] = text[trigger.Length..].Trim(),
                ["token"] = CommandToken,
                ["user_id"] = user,
                ["user_name"] = name,
                ["response_url"] = "",
                ["trigger_id"] = "t",
            });
            (await http.PostAsync("/mattermost/commands", form)).EnsureSuccessStatusCode();
        }
        // A forged request and a refused GET, whose token is in the URL.
        await http.PostAsync("/mattermost/commands", new FormUrlEncodedContent(new Dictionary<string, string> { ["command"] = "/revoke", ["token"] = "forged", ["user_id"] = DanaId, ["text"] = "all" }));
        await http.GetAsync($"/mattermost/commands?command=%2Fsessions&token={CommandToken}&user_id={DanaId}&text=");
        await http.GetAsync("/readyz");
        await bot.StopAsync(TimeSpan.FromSeconds(30));
        data.Delete(recursive: true);

        var lines = bot.Output.Where(l => l.Length > 0).ToArray();
        Assert.True(lines.Length > 20, $"only {lines.Length} lines were written");
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
            Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
        }
        Assert.Contains(lines, l => l.Contains("\"Category\":\"SessionBot.", StringComparison.Ordinal));
        foreach (var secret in secrets.Where(s => s.Length > 0).Distinct())
            Assert.True(!lines.Any(l => l.Contains(secret, StringComparison.Ordinal)), lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal)));
    }
}

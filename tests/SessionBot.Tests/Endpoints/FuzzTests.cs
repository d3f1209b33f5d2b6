using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moq;
using SessionBot.Tests.Commands;

namespace SessionBot.Tests.Endpoints;

/// <summary>
/// Thousands of generated requests through the real HTTP pipeline. Seeded: a failure names its seed and request
/// number, and the same seed replays the same requests.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20261122;
    private const int Requests = 2500;

    private static readonly string[] Words =
    [
        "all", "ALL", "token", "everyone", "help", "--yes", "-y", "me", "audit", "@bob", "bob", "@root", "@nobody", "bob@example.com",
        TestData.BobId, TestData.RootId, TestData.CallerId, TestData.BotId, "@sessionbot", "s0000001", "s000", TestData.SessionId(1),
        "@channel", "<!channel>", "](http://x)", "`", "|", "#", "\u0000", "\u202E", "\r\n", "\t", "日本語", "😀", "Ω≈ç√",
        "@", "@@", "--", "%00", "'; DROP TABLE audit_entries; --", "{{Problem}}", "{{{x}}}", "\\", "\u200D",
    ];

    private static readonly string[] Commands = ["/sessions", "/revoke", "/deactivate", "/activate", "/SESSIONS", "/logout", "", "sessions", "/revoke\u0000"];

    [Fact]
    public async Task GeneratedInputNeverBreaksTheBotOrChangesAnythingWithoutATokenAndPermission()
    {
        var random = new Random(Seed);
        // A plain user: the only changes they may make are to their own sessions (self-deactivation is off).
        var bot = new BotUnderTest().WithSessions(TestData.CallerId, TestData.SessionId(1), TestData.SessionId(2)).WithSessions(TestData.BobId, TestData.SessionId(3));
        var settings = SessionBotApplication.DefaultSettings();
        settings["RateLimit:Burst"] = "1000";
        settings["RateLimit:CommandsPerMinute"] = "6000";
        await using var app = new SessionBotApplication(bot, settings);
        using var client = app.CreateClient();

        for (var i = 0; i < Requests; i++)
        {
            var changesBefore = ChangingCalls(bot);
            var (request, validToken) = Generate(random);
            var description = $"seed {Seed}, request {i}: {request.Method} {request.RequestUri}";
            var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{description} answered {(int)response.StatusCode}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var text = json.RootElement.TryGetProperty("ephemeral_text", out var clickText) ? clickText : json.RootElement.GetProperty("text");
            Assert.True(text.GetString()!.Length <= 16_383, description);
            if (!validToken)
                Assert.True(ChangingCalls(bot) == changesBefore, $"{description} changed something without a valid token");
        }

        // The generator reaches the allowed path too, or this test would prove little.
        Assert.Contains(bot.Mattermost.Invocations, IsChanging);
        Assert.Contains(bot.Mattermost.Invocations, call => call.Method.Name == "GetSessionsAsync");
        foreach (var call in bot.Mattermost.Invocations.Where(IsChanging))
        {
            Assert.Contains(call.Method.Name, new[] { "RevokeSessionAsync", "RevokeAllSessionsAsync" });
            Assert.Equal(TestData.CallerId, call.Arguments[0]);
        }
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Exception is not null && l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    private static int ChangingCalls(BotUnderTest bot) => bot.Mattermost.Invocations.Count(IsChanging);

    private static bool IsChanging(IInvocation call) => call.Method.Name is "RevokeSessionAsync" or "RevokeAllSessionsAsync"
        or "RevokeEveryonesSessionsAsync" or "SetActiveAsync" or "RevokeUserAccessTokenAsync";

    private static (HttpRequestMessage Request, bool ValidToken) Generate(Random random)
    {
        if (random.Next(8) == 0)
            return (Click(random), false);
        var webhook = random.Next(4) == 0;
        var command = Pick(random, Commands);
        var trigger = command.Trim().TrimStart('/').ToLowerInvariant();
        var token = random.Next(5) switch
        {
            0 => "",
            1 => "forged" + random.Next(),
            2 => SessionBotApplication.SessionsToken,
            _ => webhook ? SessionBotApplication.WebhookToken : trigger switch
            {
                "sessions" => SessionBotApplication.SessionsToken,
                "revoke" => SessionBotApplication.RevokeToken,
                "deactivate" => SessionBotApplication.DeactivateToken,
                _ => "none",
            },
        };
        var validToken = webhook ? token == SessionBotApplication.WebhookToken
            : (trigger, token) is ("sessions", SessionBotApplication.SessionsToken) or ("revoke", SessionBotApplication.RevokeToken) or ("deactivate", SessionBotApplication.DeactivateToken);

        var fields = new List<KeyValuePair<string, string>>();
        void Maybe(string key, string value)
        {
            if (random.Next(10) > 0)
                fields.Add(new(key, value));
        }
        Maybe("token", token);
        Maybe("command", command);
        Maybe("text", (webhook ? trigger + " " : "") + Text(random));
        Maybe("user_id", random.Next(10) == 0 ? Pick(random, Words) : TestData.CallerId);
        Maybe("user_name", random.Next(10) == 0 ? Pick(random, Words) : "carol");
        Maybe("channel_id", "channel0000000000000000000");
        var mentions = random.Next(3) == 0 ? random.Next(0, random.Next(2) == 0 ? 5 : 3000) : 0;
        for (var m = 0; m < mentions; m++)
            fields.Add(new("user_mentions", Pick(random, Words)));
        for (var m = 0; m < mentions + random.Next(-1, 2); m++)
            fields.Add(new("user_mentions_ids", random.Next(2) == 0 ? TestData.RootId : Pick(random, Words)));

        var path = webhook ? "/mattermost/webhooks" : "/mattermost/commands";
        HttpContent content = random.Next(6) switch
        {
            0 => new StringContent(JsonSerializer.Serialize(fields.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => (object)(random.Next(4) == 0 ? g.Select(x => x.Value).ToArray() : random.Next(6) == 0 ? 42 : g.First().Value))), Encoding.UTF8, "application/json"),
            1 => Raw(Garbage(random), Pick(random, ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/json; charset=utf-7"])),
            _ => new FormUrlEncodedContent(fields),
        };
        if (random.Next(15) == 0)
        {
            var query = string.Join("&", fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
            return (new HttpRequestMessage(HttpMethod.Get, "/mattermost/commands?" + (query.Length > 8000 ? query[..8000] : query)), validToken && !webhook);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", token.Length > 0 ? token : "x");
        return (request, validToken);
    }

    /// <summary>A button click with a made-up context: never signed with the bot's secret.</summary>
    private static HttpRequestMessage Click(Random random)
    {
        object context = random.Next(4) switch
        {
            0 => new { a = "revoke-everyone", t = Array.Empty<string>(), u = TestData.CallerId, e = long.MaxValue, n = random.Next().ToString(), s = Convert.ToBase64String(new byte[32]) },
            1 => new { a = Pick(random, Words), t = new[] { Pick(random, Words) }, d = Text(random), u = Pick(random, Words), e = random.NextInt64(), n = Pick(random, Words), s = Pick(random, Words) },
            2 => Text(random),
            _ => new { },
        };
        var body = random.Next(5) == 0 ? Garbage(random) : JsonSerializer.Serialize(new { user_id = TestData.CallerId, user_name = "carol", context });
        return new HttpRequestMessage(HttpMethod.Post, "/mattermost/actions") { Content = Raw(body, "application/json") };
    }

    private static string Text(Random random) => random.Next(20) switch
    {
        0 => new string((char)random.Next(32, 0xD7FF), random.Next(1, 20_000)),
        1 => new string(Enumerable.Range(0, random.Next(1, 300)).Select(_ => (char)random.Next(0, 0xFFFF)).ToArray()),
        _ => string.Join(Pick(random, [" ", "  ", "\t", " \n "]), Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pick(random, Words))),
    };

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Garbage(Random random)
    {
        var bytes = new byte[random.Next(0, 2000)];
        random.NextBytes(bytes);
        return random.Next(2) == 0 ? Encoding.Latin1.GetString(bytes) : "{\"token\":" + Encoding.Latin1.GetString(bytes);
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}

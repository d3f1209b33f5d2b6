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
        settings["Mattermost:GetTriggers:0"] = "sessions";
        await using var app = new SessionBotApplication(bot, settings);
        using var client = app.CreateClient();

        for (var i = 0; i < Requests; i++)
        {
            var changesBefore = ChangingCalls(bot);
            var callsBefore = bot.Mattermost.Invocations.Count;
            var (request, validToken, readsNothing) = Generate(random);
            var description = $"seed {Seed}, request {i}: {request.Method} {request.RequestUri}";
            var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{description} answered {(int)response.StatusCode}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var text = json.RootElement.TryGetProperty("ephemeral_text", out var clickText) ? clickText : json.RootElement.GetProperty("text");
            Assert.True(text.GetString()!.Length <= 16_383, description);
            if (!validToken)
                Assert.True(ChangingCalls(bot) == changesBefore, $"{description} changed something without a valid token");
            if (readsNothing)
                Assert.True(bot.Mattermost.Invocations.Count == callsBefore, $"{description} called Mattermost");
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

    private const int MalformedRequests = 1500;
    private const string ActionSecret = "fuzz-action-secret-0123456789abcdef";
    private static readonly string[] Endpoints = ["/mattermost/commands", "/mattermost/webhooks", "/mattermost/actions"];
    /// <summary>Stands where a mutation goes, in a value the bot reads: letters only, so no encoder changes it.</summary>
    private const string Mark = "QQMARKQQ";

    [Fact]
    public async Task MalformedBodiesOnEveryEndpointGetJsonAnswersAndNeverReachMattermost()
    {
        var random = new Random(Seed);
        var bot = new BotUnderTest().WithSessions(TestData.CallerId, TestData.SessionId(1), TestData.SessionId(2));
        bot.Audit.Setup(a => a.TryConsumeOnceAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var settings = SessionBotApplication.DefaultSettings();
        settings["RateLimit:Burst"] = "1000";
        settings["RateLimit:CommandsPerMinute"] = "6000";
        settings["Mattermost:GetTriggers:0"] = "sessions";
        settings["Bot:PublicUrl"] = "http://sessionbot.test";
        settings["Bot:ActionSecret"] = ActionSecret;
        await using var app = new SessionBotApplication(bot, settings);
        // Without redirects: the redirect handler would buffer a chunked body and send a Content-Length.
        app.ClientOptions.AllowAutoRedirect = false;
        using var client = app.CreateClient();
        var kinds = new Dictionary<string, int>();

        for (var i = 0; i < MalformedRequests; i++)
        {
            var path = Pick(random, Endpoints);
            var (request, kind) = Malformed(random, path);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var description = $"seed {Seed}, malformed request {i}: {kind}, {request.Method} {path}";
            var callsBefore = bot.Mattermost.Invocations.Count;

            var response = await client.SendAsync(request);

            var notAllowed = kind == "method";
            Assert.True(response.StatusCode == (notAllowed ? HttpStatusCode.MethodNotAllowed : HttpStatusCode.OK), $"{description} answered {(int)response.StatusCode}");
            if (notAllowed)
                Assert.True(response.Content.Headers.Allow.Count > 0, $"{description} has no Allow header");
            if (request.Method != HttpMethod.Head)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{description} answered {response.Content.Headers.ContentType}");
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.True(json.RootElement.TryGetProperty(path.EndsWith("/actions") ? "ephemeral_text" : "text", out _), $"{description} answered in the wrong shape: {json.RootElement}");
            }
            Assert.True(bot.Mattermost.Invocations.Count == callsBefore, $"{description} called Mattermost");
        }

        // Every kind was generated…
        Assert.Equal(["form-encoding", "get", "invalid-utf8", "lone-surrogate", "method", "oversized", "truncated", "wrong-content-type", "wrong-type"], kinds.Keys.Order(StringComparer.Ordinal));
        // …and the requests they were made from do reach Mattermost and change something, or this test would prove little.
        foreach (var path in Endpoints)
        {
            var changesBefore = ChangingCalls(bot);
            var (fields, json) = WellFormed(random, path);
            var response = await client.PostAsync(path, Bytes(Encoding.UTF8.GetBytes(json ? Json(fields) : Form(fields)), json ? "application/json" : "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(ChangingCalls(bot) == changesBefore + 1, $"the well-formed request to {path} changed nothing: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Exception is not null && l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    /// <summary>
    /// A request that would change something (the caller's own sessions: revoke all), with the right token, from the
    /// webhook channel, or with a validly signed button; and whether it goes as JSON (commands and webhooks also as forms).
    /// </summary>
    private static (List<KeyValuePair<string, string>> Fields, bool Json) WellFormed(Random random, string path)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("user_id", TestData.CallerId),
            new("user_name", "carol"),
            new("channel_id", SessionBotApplication.WebhookChannelId),
            new("team_id", "team000000000000000000000t"),
        };
        switch (path)
        {
            case "/mattermost/commands":
                fields.AddRange([new("token", SessionBotApplication.RevokeToken), new("command", "/revoke"), new("text", "all"), new("response_url", "")]);
                break;
            case "/mattermost/webhooks":
                fields.AddRange([new("token", SessionBotApplication.WebhookToken), new("text", "revoke all"), new("trigger_word", "revoke")]);
                break;
            default:
                var action = new SessionBot.Actions.SignedAction
                {
                    Action = SessionBot.Actions.BotAction.RevokeAll.Name,
                    TargetIds = [TestData.CallerId],
                    RequesterId = TestData.CallerId,
                    ExpiresAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
                    Nonce = SessionBot.Actions.SignedAction.NewNonce(),
                }.SignWith(ActionSecret);
                fields.Add(new("context", JsonSerializer.Serialize(action)));
                return (fields, true);
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fields));
        return (fields, random.Next(2) == 0);
    }

    /// <summary>JSON of the fields: <c>context</c> holds JSON already and goes in as an object.</summary>
    private static string Json(List<KeyValuePair<string, string>> fields) =>
        "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Key) + ":" + (f.Key == "context" ? f.Value : JsonSerializer.Serialize(f.Value)))) + "}";

    /// <summary>The fields the bot cannot do without: spoiling one of them must stop the request.</summary>
    private static string[] Essential(string path) => path switch
    {
        "/mattermost/commands" => ["token", "command", "user_id"],
        "/mattermost/webhooks" => ["token", "user_id", "channel_id", "text"],
        _ => ["user_id", "context"],
    };

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE, 0xFF], [0x80], [0xC3, 0x28], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF0, 0x9F, 0x98], [0xF5, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] LoneSurrogates = [@"\udc00", @"\ud800", @"\ud83d", @"\udfff\ud800", @"\ud800\u0041", @"x\udbff"];

    private static readonly string[] BadEscapes = ["%", "%%", "%4", "%Z1", "%G0", "%-1", "%+1", "%FF", "%C3%28", "%ED%A0%80", "%E2%82", "%F0%9F%98", "%C0%AF", "%80"];

    private static readonly string[] WrongTypes = ["42", "-1.5e3", "true", "null", "[]", "[\"x\"]", "{}", "{\"token\":\"x\"}"];

    private static readonly string[] WrongContentTypes =
        ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/octet-stream", "", "application/x-www-form-urlencodedx", "json", "application/jsonx"];

    /// <summary>A spoiled copy of a well-formed request, and the name of the way it was spoiled.</summary>
    private static (HttpRequestMessage Request, string Kind) Malformed(Random random, string path)
    {
        var (fields, json) = WellFormed(random, path);
        json |= path.EndsWith("/actions");
        // A copy with the mark in one field, where a lenient reader would still act on the rest (in a context, as a
        // property the signature does not cover).
        var at = random.Next(fields.Count);
        var key = fields[at].Key;
        List<KeyValuePair<string, string>> marked = [.. fields];
        marked[at] = new(key, key == "context" ? fields[at].Value.Insert(1, $"\"x\":\"{Mark}\",") : fields[at].Value + Mark);
        byte[] Body(List<KeyValuePair<string, string>> of) => Encoding.UTF8.GetBytes(json ? Json(of) : Form(of));
        var type = json ? "application/json" : "application/x-www-form-urlencoded";
        HttpRequestMessage Post(byte[] body, string contentType) => new(HttpMethod.Post, path) { Content = Bytes(body, contentType) };

        switch (random.Next(10))
        {
            case 0:
                return (Post(Replace(Body(marked), Mark, Pick(random, InvalidUtf8)), type), "invalid-utf8");
            case 1 when json:
                // In a value, or in a key.
                var surrogate = Pick(random, LoneSurrogates);
                var text = random.Next(3) == 0 ? Json(fields).Replace($"\"{key}\":", $"\"{key}{surrogate}\":") : Json(marked).Replace(Mark, surrogate);
                return (Post(Encoding.UTF8.GetBytes(text), type), "lone-surrogate");
            case 2 when json:
                // A field the bot cannot do without, of another type; or a body that is not an object.
                var spoiled = Pick(random, Essential(path));
                var typed = "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Key) + ":" + (f.Key == spoiled ? Pick(random, WrongTypes) : f.Key == "context" ? f.Value : JsonSerializer.Serialize(f.Value)))) + "}";
                return (Post(Encoding.UTF8.GetBytes(random.Next(4) == 0 ? $"[{Json(fields)}]" : random.Next(6) == 0 ? Pick(random, WrongTypes) : typed), type), "wrong-type");
            case 3 when json:
                var whole = Body(fields);
                return (Post(whole[..random.Next(whole.Length)], type), "truncated");
            case 4:
                // A body declared as something else; or a well-formed body of the other kind, declared as what it is not.
                if (!path.EndsWith("/actions") && random.Next(3) == 0)
                    return (Post(Encoding.UTF8.GetBytes(json ? Form(fields) : Json(fields)), type), "wrong-content-type");
                return (Post(Body(fields), Pick(random, WrongContentTypes)), "wrong-content-type");
            case 5 when !json:
                // In a value, in a key, or a pair of its own.
                var escape = Pick(random, BadEscapes);
                var form = random.Next(3) switch
                {
                    0 => Form(marked).Replace(Mark, escape),
                    1 => Form(fields).Replace(Uri.EscapeDataString(key) + "=", Uri.EscapeDataString(key) + escape + "="),
                    _ => Form(fields) + "&" + escape + "=1",
                };
                return (Post(Encoding.UTF8.GetBytes(form), type), "form-encoding");
            case 6:
                var method = new HttpMethod(Pick(random, path.EndsWith("/commands")
                    ? ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND"]
                    : new[] { "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" }));
                return (new HttpRequestMessage(method, path) { Content = method == HttpMethod.Head || method == HttpMethod.Get ? null : Bytes(Body(fields), type) }, "method");
            case 7 when path.EndsWith("/commands"):
                // By GET: /revoke, which is not in GetTriggers; or /sessions, which is, with its query spoiled.
                var query = random.Next(2) == 0
                    ? Form(fields)
                    : Form([.. fields.Where(f => f.Key is not ("command" or "token" or "text")), new("command", "/sessions"), new("token", SessionBotApplication.SessionsToken), new("text", Mark)])
                        .Replace(Mark, Pick(random, ["%FF", "%ED%A0%80", "%C3%28", "%C0%AF"]));
                // (Escapes that are not even escapes, such as %ZZ, System.Uri turns into %25ZZ before they are sent.)
                return (new HttpRequestMessage(HttpMethod.Get, path + "?" + query), "get");
            case 8 when random.Next(4) == 0:
                // Larger than Mattermost sends: the mark becomes padding; sent with a length, or chunked.
                var padded = Replace(Body(marked), Mark, Encoding.ASCII.GetBytes(new string('a', SessionBot.Endpoints.MattermostRequestReader.MaxBodyBytes + random.Next(1, 5000))));
                return (new HttpRequestMessage(HttpMethod.Post, path) { Content = random.Next(2) == 0 ? Bytes(padded, type) : new Chunked(padded, type) }, "oversized");
            default:
                return Malformed(random, path);
        }
    }

    private static string Form(IEnumerable<KeyValuePair<string, string>> fields) => new FormUrlEncodedContent(fields).ReadAsStringAsync().Result;

    private static byte[] Replace(byte[] body, string mark, byte[] with)
    {
        var at = body.AsSpan().IndexOf(Encoding.ASCII.GetBytes(mark));
        return [.. body[..at], .. with, .. body[(at + mark.Length)..]];
    }

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType.Length > 0)
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>A body whose length is not known up front: sent chunked, with no Content-Length.</summary>
    private sealed class Chunked : ByteArrayContent
    {
        public Chunked(byte[] body, string contentType) : base(body) => Headers.TryAddWithoutValidation("Content-Type", contentType);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static int ChangingCalls(BotUnderTest bot) => bot.Mattermost.Invocations.Count(IsChanging);

    private static bool IsChanging(IInvocation call) => call.Method.Name is "RevokeSessionAsync" or "RevokeAllSessionsAsync"
        or "RevokeEveryonesSessionsAsync" or "SetActiveAsync" or "RevokeUserAccessTokenAsync";

    /// <summary>A request; whether it carries the right token; whether it must not reach Mattermost at all.</summary>
    private static (HttpRequestMessage Request, bool ValidToken, bool ReadsNothing) Generate(Random random)
    {
        if (random.Next(8) == 0)
            return (Click(random), false, false);
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
        // Often a change the caller may make (to their own sessions), so the allowed path is reached too.
        var text = random.Next(3) == 0 ? Pick(random, ["all", "all me", "all --yes", "s0000001", TestData.SessionId(2)]) : Text(random);
        Maybe("text", (webhook ? trigger + " " : "") + text);
        Maybe("user_id", random.Next(10) == 0 ? Pick(random, Words) : TestData.CallerId);
        Maybe("user_name", random.Next(10) == 0 ? Pick(random, Words) : "carol");
        var channel = webhook && random.Next(3) > 0 ? SessionBotApplication.WebhookChannelId : "channel0000000000000000000";
        Maybe("channel_id", channel);
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
            // Only /sessions is taken by GET here: a GET for any other trigger reads nothing.
            var listed = fields.Any(f => f.Key == "command" && f.Value.Trim().TrimStart('/').Equals("sessions", StringComparison.OrdinalIgnoreCase));
            return (new HttpRequestMessage(HttpMethod.Get, "/mattermost/commands?" + (query.Length > 8000 ? query[..8000] : query)), validToken && !webhook && listed, !listed);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", token.Length > 0 ? token : "x");
        // A webhook from a channel webhook commands are not taken from reads nothing.
        return (request, validToken, webhook && channel != SessionBotApplication.WebhookChannelId);
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

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using SessionBot.Audit;
using SessionBot.Configuration;
using SessionBot.Tests.Commands;

namespace SessionBot.Tests.Endpoints;

public class EndpointTests
{
    private const string CallerId = TestData.CallerId;
    private const string BobId = TestData.BobId;

    /// <summary>The form exactly as Mattermost sends it: keys sorted, mentions as repeated keys in parallel order.</summary>
    private static List<KeyValuePair<string, string>> MattermostForm(string command, string text, string token, params (string Name, string Id)[] mentions)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("channel_id", "channel0000000000000000000"),
            new("channel_name", "town-square"),
            new("command", command),
            new("response_url", "http://mattermost.test/hooks/commands/abc"),
            new("team_domain", "acme"),
            new("team_id", "team000000000000000000000t"),
            new("text", text),
            new("token", token),
            new("trigger_id", "trigger"),
            new("user_id", CallerId),
        };
        fields.AddRange(mentions.Select(m => new KeyValuePair<string, string>("user_mentions", m.Name)));
        fields.AddRange(mentions.Select(m => new KeyValuePair<string, string>("user_mentions_ids", m.Id)));
        fields.Add(new("user_name", "carol"));
        return fields;
    }

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> PostCommandAsync(SessionBotApplication app, List<KeyValuePair<string, string>> form, string? authorizationToken = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mattermost/commands") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", authorizationToken ?? form.First(f => f.Key == "token").Value);
        request.Headers.UserAgent.ParseAdd("Mattermost-Bot/1.1");
        var response = await client.SendAsync(request);
        return (response, await ReadJsonReplyAsync(response));
    }

    /// <summary>Every reply is HTTP 200 with a JSON body: Mattermost shows anything else as a failure.</summary>
    private static async Task<JsonElement> ReadJsonReplyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("skip_slack_parsing").GetBoolean());
        return json.RootElement.Clone();
    }

    private static string Text(JsonElement body) => ReplyText.Plain(body.GetProperty("text").GetString()!);

    [Fact]
    public async Task TheExactFormMattermostSendsListsTheMentionedUsersSessions()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/sessions", "@bob", SessionBotApplication.SessionsToken, ("bob", BobId)));

        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Contains("Sessions of @bob", ReplyText.Plain(body));
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.GetUsersByUsernamesAsync(It.Is<IReadOnlyCollection<string>>(n => n.Count > 0), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SeveralMentionsArrivingAsRepeatedKeysAreAllActedOn()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1)).WithSessions(TestData.AliceId, TestData.SessionId(2));
        await using var app = new SessionBotApplication(bot);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/revoke", "all @bob @alice --yes", SessionBotApplication.RevokeToken, ("bob", BobId), ("alice", TestData.AliceId)));

        Assert.Contains("Signed @bob", ReplyText.Plain(body));
        Assert.Contains("Signed @alice", ReplyText.Plain(body));
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(TestData.AliceId, It.IsAny<CancellationToken>()), Times.Once);
    }

    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "/revoke", "wrongtoken0000000000000000" },
        { "/revoke", "" },
        { "/revoke", SessionBotApplication.SessionsToken },      // another trigger's token
        { "/activate", SessionBotApplication.RevokeToken },      // a trigger with no token configured
        { "/logout", SessionBotApplication.RevokeToken },        // not our trigger
        { "/revoke", SessionBotApplication.RevokeToken + " " },
        { "/revoke", SessionBotApplication.RevokeToken.ToUpperInvariant() },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task ARequestWithoutTheTriggersOwnTokenIsRefusedAndMakesNoMattermostCall(string command, string token)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);

        var (_, body) = await PostCommandAsync(app, MattermostForm(command, "all @bob", token), authorizationToken: SessionBotApplication.RevokeToken);

        Assert.Contains("does not accept this command's token", ReplyText.Plain(body));
        Assert.Empty(bot.Mattermost.Invocations);
        bot.Audit.Verify(a => a.AppendAsync(It.IsAny<SessionBot.Audit.AuditEntry>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TheAuthorizationHeaderAloneIsNotEnough()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        await using var app = new SessionBotApplication(bot);
        var form = MattermostForm("/revoke", "all @bob", SessionBotApplication.RevokeToken).Where(f => f.Key != "token").ToList();

        var (_, body) = await PostCommandAsync(app, form, authorizationToken: SessionBotApplication.RevokeToken);

        Assert.Contains("does not accept", ReplyText.Plain(body));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task WithNoCommandTokenConfiguredEveryCommandIsRefused()
    {
        var bot = new BotUnderTest();
        var settings = SessionBotApplication.DefaultSettings().Where(s => !s.Key.StartsWith("Mattermost:CommandTokens")).ToDictionary();
        await using var app = new SessionBotApplication(bot, settings);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/sessions", "", ""));

        Assert.Contains("does not accept", ReplyText.Plain(body));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    private static async Task<HttpResponseMessage> GetCommandAsync(SessionBotApplication app, List<KeyValuePair<string, string>> form)
    {
        using var client = app.CreateClient();
        return await client.GetAsync("/mattermost/commands?" + await new FormUrlEncodedContent(form).ReadAsStringAsync());
    }

    [Fact]
    public async Task ATriggerListedInGetTriggersWorksByGet()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, TestData.SessionId(1));
        var settings = SessionBotApplication.DefaultSettings();
        settings["Mattermost:GetTriggers:0"] = "sessions";
        await using var app = new SessionBotApplication(bot, settings);

        var body = await ReadJsonReplyAsync(await GetCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken)));

        Assert.Contains("Your sessions", ReplyText.Plain(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sessions")]
    public async Task AGetForATriggerNotListedInGetTriggersIsRefusedWithoutBeingReadAndItsTokenIsNotLogged(string? listed)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        var settings = SessionBotApplication.DefaultSettings();
        if (listed is not null)
            settings["Mattermost:GetTriggers:0"] = listed;
        await using var app = new SessionBotApplication(bot, settings);

        var body = await ReadJsonReplyAsync(await GetCommandAsync(app, MattermostForm("/revoke", "all @bob --yes", SessionBotApplication.RevokeToken, ("bob", BobId))));

        Assert.Equal("ephemeral", body.GetProperty("response_type").GetString());
        Assert.Equal(":x: This command must be registered in Mattermost with method POST: a GET puts its token in the URL, where proxies and logs keep it. Nothing changed.", Text(body));
        Assert.Empty(bot.Mattermost.Invocations);
        Assert.Empty(bot.AuditEntries);
        Assert.Contains(app.Logs.Lines, l => l.Message.Contains("Mattermost:GetTriggers"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.ToString().Contains(SessionBotApplication.RevokeToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWebhookInFormEncodingRunsTheCommandNamedByTheFirstWordAndAnswersInTheThread()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["channel_id"] = SessionBotApplication.WebhookChannelId,
            ["channel_name"] = "ops",
            ["post_id"] = "post0000000000000000000000",
            ["team_domain"] = "acme",
            ["team_id"] = "team000000000000000000000t",
            ["text"] = "revoke all @bob --yes",
            ["timestamp"] = "1763800000",
            ["token"] = SessionBotApplication.WebhookToken,
            ["trigger_word"] = "revoke",
            ["user_id"] = CallerId,
            ["user_name"] = "carol",
        });

        var body = await ReadJsonReplyAsync(await client.PostAsync("/mattermost/webhooks", form));

        Assert.Equal("comment", body.GetProperty("response_type").GetString());
        // A public post: the name is shown in a code span, so Bob is not notified.
        Assert.Contains("Signed `@bob`", ReplyText.Plain(body));
        bot.Mattermost.Verify(c => c.RevokeAllSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AWebhookInJsonWorksToo()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/mattermost/webhooks", new
        {
            token = SessionBotApplication.WebhookToken,
            user_id = CallerId,
            user_name = "carol",
            channel_id = SessionBotApplication.WebhookChannelId,
            text = "sessions @bob",
            trigger_word = "sessions",
            timestamp = 1763800000000L,
            file_ids = "",
        });

        Assert.Contains("Sessions of `@bob`", ReplyText.Plain(await ReadJsonReplyAsync(response)));
    }

    [Theory]
    [InlineData("hello there")]
    [InlineData("revokeall @bob")]
    [InlineData("")]
    public async Task AWebhookMessageThatDoesNotStartWithACommandGetsUsageAndMakesNoCall(string text)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/mattermost/webhooks", new { token = SessionBotApplication.WebhookToken, user_id = CallerId, user_name = "carol", channel_id = SessionBotApplication.WebhookChannelId, text });

        Assert.Contains("Start the message with the command", ReplyText.Plain(await ReadJsonReplyAsync(response)));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task AWebhookWithAWrongTokenIsRefusedAndMakesNoMattermostCall()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/mattermost/webhooks", new { token = SessionBotApplication.RevokeToken, user_id = CallerId, text = "revoke all @bob" });

        Assert.Contains("does not accept", ReplyText.Plain(await ReadJsonReplyAsync(response)));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    private static async Task<HttpResponseMessage> PostWebhookAsync(SessionBotApplication app, string? channelId, string text)
    {
        var fields = new Dictionary<string, string>
        {
            ["channel_name"] = "town-square",
            ["post_id"] = "post0000000000000000000000",
            ["team_domain"] = "acme",
            ["team_id"] = "team000000000000000000000t",
            ["text"] = text,
            ["timestamp"] = "1763800000",
            ["token"] = SessionBotApplication.WebhookToken,
            ["trigger_word"] = text.Split(' ')[0],
            ["user_id"] = CallerId,
            ["user_name"] = "carol",
        };
        if (channelId is not null)
            fields["channel_id"] = channelId;
        using var client = app.CreateClient();
        return await client.PostAsync("/mattermost/webhooks", new FormUrlEncodedContent(fields));
    }

    [Theory]
    [InlineData("town0000000000000000000000")]
    [InlineData("")]
    [InlineData(null)]
    public async Task AWebhookFromAnotherChannelReadsNothingChangesNothingAndIsRecordedAsRefused(string? channelId)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);

        var body = await ReadJsonReplyAsync(await PostWebhookAsync(app, channelId, "revoke all @bob --yes"));

        Assert.Equal("comment", body.GetProperty("response_type").GetString());
        Assert.Equal(":x: SessionBot takes commands from this webhook only in the channels set up for it. Nothing changed.", Text(body));
        Assert.Empty(bot.Mattermost.Invocations);
        var entry = Assert.Single(bot.AuditEntries);
        Assert.Equal((CallerId, "carol", channelId ?? "", "webhook", "/revoke all @bob --yes"), (entry.CallerId, entry.CallerUsername, entry.ChannelId, entry.Source, entry.CommandText));
        Assert.Equal((AuditDecision.Refused, "the channel is not one webhook commands are taken from"), (entry.Decision, entry.Reason));
    }

    [Fact]
    public async Task WithNoWebhookChannelListedWebhookCommandsAreTakenInTheOpsChannelOnly()
    {
        const string ops = "opschannel0000000000000000";
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        var settings = SessionBotApplication.DefaultSettings();
        settings.Remove("Mattermost:WebhookChannelIds:0");
        settings["Mattermost:OpsChannelId"] = ops;
        await using var app = new SessionBotApplication(bot, settings);

        var elsewhere = await ReadJsonReplyAsync(await PostWebhookAsync(app, SessionBotApplication.WebhookChannelId, "sessions @bob"));
        Assert.Equal(":x: SessionBot takes commands from this webhook only in the ops channel. Nothing changed.", Text(elsewhere));
        Assert.Empty(bot.Mattermost.Invocations);

        var inOps = await ReadJsonReplyAsync(await PostWebhookAsync(app, ops, "sessions @bob"));
        Assert.Contains("Sessions of `@bob`", Text(inOps));
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("application/json", "{not json")]
    [InlineData("application/json", "[1,2,3]")]
    [InlineData("text/plain", "token=x")]
    [InlineData("application/x-www-form-urlencoded", "%%%")]
    public async Task AMalformedBodyStillGetsAJsonReply(string contentType, string body)
    {
        var bot = new BotUnderTest();
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();

        var response = await client.PostAsync("/mattermost/webhooks", new StringContent(body, Encoding.UTF8, contentType));
        await ReadJsonReplyAsync(response);
        var command = await client.PostAsync("/mattermost/commands", new StringContent(body, Encoding.UTF8, contentType));
        await ReadJsonReplyAsync(command);
        Assert.Empty(bot.Mattermost.Invocations);
    }

    /// <summary>Any answer of the endpoint, in its shape: a CommandResponse's text, or a click's ephemeral_text.</summary>
    private static async Task<string> ReadAnyJsonAnswerAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var shape = response.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/actions") ? "ephemeral_text" : "text";
        return json.RootElement.GetProperty(shape).GetString()!.Replace("\\", "").Replace("\u200D", "");
    }

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>A JSON request (a command or webhook that would revoke Bob's sessions, or a click), with <paramref name="text"/> in a string the bot reads.</summary>
    private static string RevokeBobJson(string path, string text) => path switch
    {
        "/mattermost/webhooks" => $$"""{"token":"{{SessionBotApplication.WebhookToken}}","channel_id":"{{SessionBotApplication.WebhookChannelId}}","user_id":"{{CallerId}}","user_name":"carol","text":"revoke all @bob --yes {{text}}"}""",
        "/mattermost/actions" => $$"""{"user_id":"{{CallerId}}{{text}}","user_name":"carol","context":{"a":"revoke-all"} }""",
        _ => $$"""{"token":"{{SessionBotApplication.RevokeToken}}","command":"/revoke","user_id":"{{CallerId}}","user_name":"carol","text":"all @bob --yes {{text}}"}""",
    };

    public static TheoryData<string, string> UnreadableText => new()
    {
        { "/mattermost/commands", "\\udc00" }, { "/mattermost/webhooks", "\\udc00" }, { "/mattermost/actions", "\\udc00" },
        { "/mattermost/commands", "\\ud800x" }, { "/mattermost/webhooks", "\\udfff\\ud800" }, { "/mattermost/actions", "\\ud83d" },
        { "/mattermost/commands", "\xFF" }, { "/mattermost/webhooks", "\xC3\x28" }, { "/mattermost/actions", "\xED\xA0\x80" },
    };

    [Theory]
    [MemberData(nameof(UnreadableText))]
    public async Task AJsonBodyThatIsNotUtf8OrHoldsALoneSurrogateGetsAJsonAnswerAndChangesNothing(string path, string text)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        // Latin-1 keeps the raw bytes \xFF, \xC3… as they are, so they reach the bot as invalid UTF-8.
        var body = Encoding.Latin1.GetBytes(RevokeBobJson(path, text));

        var answer = await ReadAnyJsonAnswerAsync(await client.PostAsync(path, Bytes(body, "application/json")));

        Assert.Contains(path.EndsWith("/actions") ? "This request is not a button click." : "SessionBot does not accept this command's token", answer);
        Assert.Empty(bot.Mattermost.Invocations);
        Assert.Empty(bot.AuditEntries);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Exception is not null);
    }

    [Theory]
    [InlineData("PUT", "/mattermost/commands", "GET, POST")]
    [InlineData("DELETE", "/mattermost/commands", "GET, POST")]
    [InlineData("PATCH", "/mattermost/commands", "GET, POST")]
    [InlineData("HEAD", "/mattermost/commands", "GET, POST")]
    [InlineData("GET", "/mattermost/webhooks", "POST")]
    [InlineData("PUT", "/mattermost/webhooks", "POST")]
    [InlineData("GET", "/mattermost/actions", "POST")]
    [InlineData("DELETE", "/mattermost/actions", "POST")]
    [InlineData("PATCH", "/mattermost/actions", "POST")]
    public async Task AMethodMattermostNeverUsesGets405WithJsonAndAnAllowHeader(string method, string path, string allow)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        var form = MattermostForm("/revoke", "all @bob --yes", SessionBotApplication.RevokeToken, ("bob", BobId));
        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?" + await new FormUrlEncodedContent(form).ReadAsStringAsync());
        if (method != "HEAD" && method != "GET")
            request.Content = new FormUrlEncodedContent(form);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        if (method != "HEAD")
            Assert.Equal($":x: SessionBot takes only {allow} requests here. Nothing changed.", await ReadAnyJsonAnswerAsync(response, HttpStatusCode.MethodNotAllowed));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task AnOversizedClickIsAnsweredInTheClickShape()
    {
        var bot = new BotUnderTest();
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();

        var response = await client.PostAsync("/mattermost/actions", new StringContent($$"""{"user_id":"{{CallerId}}","padding":"{{new string('x', 70_000)}}"}""", Encoding.UTF8, "application/json"));

        Assert.Contains("larger than anything Mattermost sends", await ReadAnyJsonAnswerAsync(response));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    /// <summary>A body sent in chunks: its length is not known up front, so no Content-Length is sent.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] body;

        public ChunkedContent(string body, string contentType)
        {
            this.body = Encoding.UTF8.GetBytes(body);
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < body.Length; at += 4096)
                await stream.WriteAsync(body.AsMemory(at, Math.Min(4096, body.Length - at)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>
    /// In the test server, which sets no body limit, the bot's own bound stops the read; in Kestrel, which enforces
    /// <c>MaxRequestBodySize</c>, the read throws a 413 BadHttpRequestException. Either way: JSON, nothing read.
    /// </summary>
    [Theory]
    [InlineData("/mattermost/commands", false)]
    [InlineData("/mattermost/webhooks", false)]
    [InlineData("/mattermost/actions", false)]
    [InlineData("/mattermost/commands", true)]
    [InlineData("/mattermost/webhooks", true)]
    [InlineData("/mattermost/actions", true)]
    public async Task AnOversizedChunkedBodyIsAnsweredWithJsonInTheEndpointsShapeAndChangesNothing(string path, bool kestrel)
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        // Listen rather than UseKestrel(port), whose address change can race with Kestrel's start (dotnet/aspnetcore#67714).
        if (kestrel)
            app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        // Without redirects: the redirect handler would buffer the body and send a Content-Length.
        app.ClientOptions.AllowAutoRedirect = false;
        using var client = app.CreateClient();
        var padding = new string('x', 70_000);
        var body = path.EndsWith("/actions")
            ? new ChunkedContent($$"""{"user_id":"{{CallerId}}","padding":"{{padding}}"}""", "application/json")
            : new ChunkedContent(await new FormUrlEncodedContent([
                new("token", path.EndsWith("/webhooks") ? SessionBotApplication.WebhookToken : SessionBotApplication.RevokeToken),
                new("command", "/revoke"), new("channel_id", SessionBotApplication.WebhookChannelId), new("user_id", CallerId), new("user_name", "carol"),
                new("text", path.EndsWith("/webhooks") ? "revoke all @bob --yes" : "all @bob --yes"), new("padding", padding)]).ReadAsStringAsync(),
                "application/x-www-form-urlencoded");
        Assert.Null(body.Headers.ContentLength);

        var response = await client.PostAsync(path, body);

        Assert.Contains("larger than anything Mattermost sends", await ReadAnyJsonAnswerAsync(response));
        Assert.Empty(bot.Mattermost.Invocations);
        Assert.Empty(bot.AuditEntries);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task AnUnexpectedErrorStillGetsAJsonReplyThatDoesNotClaimNothingChanged()
    {
        var bot = new BotUnderTest();
        bot.Mattermost.Setup(c => c.GetSessionsAsync(CallerId, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("boom"));
        await using var app = new SessionBotApplication(bot);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken));

        Assert.Contains("unexpected error", ReplyText.Plain(body));
        Assert.DoesNotContain("boom", ReplyText.Plain(body));
    }

    [Fact]
    public async Task APersonSendingTooManyCommandsGetsAPoliteReplyAndOthersAreUnaffected()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, TestData.SessionId(1));
        var settings = SessionBotApplication.DefaultSettings();
        settings["RateLimit:Burst"] = "2";
        settings["RateLimit:CommandsPerMinute"] = "1";
        await using var app = new SessionBotApplication(bot, settings);

        for (var i = 0; i < 2; i++)
            Assert.Contains("Your sessions", ReplyText.Plain((await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken))).Body));
        var (_, limited) = await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken));

        Assert.Contains("faster than SessionBot takes them (1 a minute)", ReplyText.Plain(limited));
        Assert.Equal("ephemeral", limited.GetProperty("response_type").GetString());
        bot.Mattermost.Verify(c => c.GetSessionsAsync(CallerId, It.IsAny<CancellationToken>()), Times.Exactly(2));
        var otherUser = MattermostForm("/sessions", "", SessionBotApplication.SessionsToken).Select(f => f.Key == "user_id" ? new KeyValuePair<string, string>("user_id", BobId) : f).ToList();
        Assert.Contains("Your sessions", ReplyText.Plain((await PostCommandAsync(app, otherUser)).Body));
    }

    [Fact]
    public async Task ForgedRequestsDoNotUseUpARealUsersAllowance()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, TestData.SessionId(1));
        var settings = SessionBotApplication.DefaultSettings();
        settings["RateLimit:Burst"] = "1";
        settings["RateLimit:CommandsPerMinute"] = "1";
        await using var app = new SessionBotApplication(bot, settings);

        for (var i = 0; i < 5; i++)
            await PostCommandAsync(app, MattermostForm("/sessions", "", "forgedtoken000000000000000"));

        Assert.Contains("Your sessions", ReplyText.Plain((await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken))).Body));
    }

    [Fact]
    public async Task ABodyLargerThanMattermostSendsIsNotReadAndStillGetsJson()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        await using var app = new SessionBotApplication(bot);
        var form = MattermostForm("/revoke", "all @bob " + new string('x', 70_000), SessionBotApplication.RevokeToken);

        var (_, body) = await PostCommandAsync(app, form);

        Assert.Contains("larger than anything Mattermost sends", ReplyText.Plain(body));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task HealthzAnswersWithoutTouchingMattermost()
    {
        var bot = new BotUnderTest();
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Theory]
    [InlineData("Mattermost:Url", null, "Mattermost:Url is missing")]
    [InlineData("Mattermost:Url", "ftp://chat", "Mattermost:Url is invalid")]
    [InlineData("Mattermost:Url", "chat.example.com", "Mattermost:Url is invalid")]
    [InlineData("Mattermost:BotToken", null, "Mattermost:BotToken is missing")]
    [InlineData("Mattermost:TimeoutSeconds", "0", "Mattermost:TimeoutSeconds is invalid")]
    [InlineData("Mattermost:CommandTokens:logout", "x", "Mattermost:CommandTokens:logout is invalid")]
    [InlineData("Mattermost:WebhookChannelIds:0", "town-square", "Mattermost:WebhookChannelIds is invalid: 'town-square' is not a channel id")]
    [InlineData("Mattermost:GetTriggers:0", "logout", "Mattermost:GetTriggers is invalid: 'logout' is not a trigger")]
    [InlineData("Policy:MaxTargets", "0", "Policy:MaxTargets is invalid")]
    [InlineData("Policy:ProtectedUsers:0", "break glass", "Policy:ProtectedUsers:0 is invalid")]
    [InlineData("Policy:ProtectedUsers:0", "@", "Policy:ProtectedUsers:0 is invalid")]
    [InlineData("Templates:Directory", "/does/not/exist", "Templates:Directory is invalid")]
    [InlineData("RateLimit:CommandsPerMinute", "0", "RateLimit:CommandsPerMinute is invalid")]
    [InlineData("Audit:Provider", "Oracle", "Audit:Provider is invalid")]
    [InlineData("Audit:Provider", "Postgres", "Audit:ConnectionString is missing")]
    public void StartupStopsNamingAMissingOrInvalidKey(string key, string? value, string message)
    {
        var settings = SessionBotApplication.DefaultSettings();
        settings[key] = value;

        // A failure stops start-up with this message.
        var e = Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(settings));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ANotifyContactOverTheLimitStopsStartupNamingTheKey()
    {
        var settings = SessionBotApplication.DefaultSettings();
        settings["Notify:Contact"] = "Questions? " + new string('x', 990);
        var e = Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(settings));
        Assert.Contains("Notify:Contact is invalid: it is 1001 characters long; keep it to at most 1000.", e.Message);
        settings["Notify:Contact"] = "Questions? " + new string('x', 989);
        ValidateAtStartup(settings);
    }

    private static void ValidateAtStartup(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSessionBot(configuration);
        services.AddAuditStore(configuration);
        using var provider = services.BuildServiceProvider();
        // What the host runs when it starts (ValidateOnStart).
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void WebhookTokensWithNoChannelToTakeCommandsFromStopStartupNamingTheKeys()
    {
        var settings = SessionBotApplication.DefaultSettings();
        settings.Remove("Mattermost:WebhookChannelIds:0");

        var e = Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(settings));

        Assert.Contains("Mattermost:WebhookTokens are set but no channel takes webhook commands: set Mattermost:WebhookChannelIds, or Mattermost:OpsChannelId (its default).", e.Message);
    }

    [Theory]
    [InlineData("Mattermost:WebhookChannelIds:0", "town0000000000000000000000")]
    [InlineData("Mattermost:OpsChannelId", "ops00000000000000000000000")]
    public void WebhookTokensWithAChannelToTakeCommandsFromPassStartupValidation(string key, string channelId)
    {
        var settings = SessionBotApplication.DefaultSettings();
        settings.Remove("Mattermost:WebhookChannelIds:0");
        settings[key] = channelId;
        ValidateAtStartup(settings);
    }

    [Fact]
    public void TheDefaultSettingsPassStartupValidation() => ValidateAtStartup(SessionBotApplication.DefaultSettings());

    [Fact]
    public void TheDevelopmentSettingsPassStartupValidation()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "SessionBot.sln")))
            root = root.Parent!;
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root.FullName, "appsettings.Development.json")).Build();
        var settings = configuration.AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
        // The sandbox sets the URL when it starts.
        settings["Mattermost:Url"] = settings["Sandbox:Url"];
        ValidateAtStartup(settings);
    }
}

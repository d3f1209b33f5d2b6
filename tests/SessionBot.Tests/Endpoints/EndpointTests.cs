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
        Assert.Contains("Sessions of @bob", Text(body));
        bot.Mattermost.Verify(c => c.GetSessionsAsync(BobId, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.GetUsersByUsernamesAsync(It.Is<IReadOnlyCollection<string>>(n => n.Count > 0), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SeveralMentionsArrivingAsRepeatedKeysAreAllActedOn()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1)).WithSessions(TestData.AliceId, TestData.SessionId(2));
        await using var app = new SessionBotApplication(bot);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/revoke", "all @bob @alice --yes", SessionBotApplication.RevokeToken, ("bob", BobId), ("alice", TestData.AliceId)));

        Assert.Contains("Signed @bob", Text(body));
        Assert.Contains("Signed @alice", Text(body));
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

        Assert.Contains("does not accept this command's token", Text(body));
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

        Assert.Contains("does not accept", Text(body));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task WithNoCommandTokenConfiguredEveryCommandIsRefused()
    {
        var bot = new BotUnderTest();
        var settings = SessionBotApplication.DefaultSettings().Where(s => !s.Key.StartsWith("Mattermost:CommandTokens")).ToDictionary();
        await using var app = new SessionBotApplication(bot, settings);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/sessions", "", ""));

        Assert.Contains("does not accept", Text(body));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task CommandsRegisteredWithMethodGetWork()
    {
        var bot = new BotUnderTest().WithSessions(CallerId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        var query = await new FormUrlEncodedContent(MattermostForm("/sessions", "", SessionBotApplication.SessionsToken)).ReadAsStringAsync();

        var body = await ReadJsonReplyAsync(await client.GetAsync("/mattermost/commands?" + query));

        Assert.Contains("Your sessions", Text(body));
    }

    [Fact]
    public async Task AWebhookInFormEncodingRunsTheCommandNamedByTheFirstWordAndAnswersInTheThread()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(BobId, TestData.SessionId(1));
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["channel_id"] = "ops000000000000000000000oo",
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
        Assert.Contains("Signed `@bob`", Text(body));
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
            channel_id = "ops000000000000000000000oo",
            text = "sessions @bob",
            trigger_word = "sessions",
            timestamp = 1763800000000L,
            file_ids = "",
        });

        Assert.Contains("Sessions of `@bob`", Text(await ReadJsonReplyAsync(response)));
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

        var response = await client.PostAsJsonAsync("/mattermost/webhooks", new { token = SessionBotApplication.WebhookToken, user_id = CallerId, user_name = "carol", text });

        Assert.Contains("Start the message with the command", Text(await ReadJsonReplyAsync(response)));
        Assert.Empty(bot.Mattermost.Invocations);
    }

    [Fact]
    public async Task AWebhookWithAWrongTokenIsRefusedAndMakesNoMattermostCall()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/mattermost/webhooks", new { token = SessionBotApplication.RevokeToken, user_id = CallerId, text = "revoke all @bob" });

        Assert.Contains("does not accept", Text(await ReadJsonReplyAsync(response)));
        Assert.Empty(bot.Mattermost.Invocations);
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

    [Fact]
    public async Task AnUnexpectedErrorStillGetsAJsonReplyThatDoesNotClaimNothingChanged()
    {
        var bot = new BotUnderTest();
        bot.Mattermost.Setup(c => c.GetSessionsAsync(CallerId, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("boom"));
        await using var app = new SessionBotApplication(bot);

        var (_, body) = await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken));

        Assert.Contains("unexpected error", Text(body));
        Assert.DoesNotContain("boom", Text(body));
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
            Assert.Contains("Your sessions", Text((await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken))).Body));
        var (_, limited) = await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken));

        Assert.Contains("faster than SessionBot takes them (1 a minute)", Text(limited));
        Assert.Equal("ephemeral", limited.GetProperty("response_type").GetString());
        bot.Mattermost.Verify(c => c.GetSessionsAsync(CallerId, It.IsAny<CancellationToken>()), Times.Exactly(2));
        var otherUser = MattermostForm("/sessions", "", SessionBotApplication.SessionsToken).Select(f => f.Key == "user_id" ? new KeyValuePair<string, string>("user_id", BobId) : f).ToList();
        Assert.Contains("Your sessions", Text((await PostCommandAsync(app, otherUser)).Body));
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

        Assert.Contains("Your sessions", Text((await PostCommandAsync(app, MattermostForm("/sessions", "", SessionBotApplication.SessionsToken))).Body));
    }

    [Fact]
    public async Task ABodyLargerThanMattermostSendsIsNotReadAndStillGetsJson()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin");
        await using var app = new SessionBotApplication(bot);
        var form = MattermostForm("/revoke", "all @bob " + new string('x', 70_000), SessionBotApplication.RevokeToken);

        var (_, body) = await PostCommandAsync(app, form);

        Assert.Contains("larger than anything Mattermost sends", Text(body));
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
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSessionBot(configuration);
        services.AddAuditStore(configuration);
        using var provider = services.BuildServiceProvider();

        // What the host runs when it starts (ValidateOnStart): a failure stops start-up with this message.
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void TheDefaultSettingsPassStartupValidation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(SessionBotApplication.DefaultSettings()).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSessionBot(configuration);
        services.AddAuditStore(configuration);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}

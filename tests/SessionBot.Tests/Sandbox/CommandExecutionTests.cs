using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// <c>POST /api/v4/commands/execute</c> as the server runs it for its own clients (mattermost.md §1, §2, §7): the
/// request the integration gets, how its reply is applied and answered, and the errors the client sees.
/// </summary>
public sealed class CommandExecutionTests : IAsyncLifetime
{
    private EmulatorWithIntegration sandbox = null!;
    private FakeIntegration Integration => sandbox.Integration;

    public async Task InitializeAsync() => sandbox = await EmulatorWithIntegration.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task TheIntegrationGetsTheFormMattermostSends()
    {
        var (status, body) = await sandbox.ExecuteAsync("hana", "/Sessions  @Bob, and @nobody ~town-square ~ops", rootId: "");
        Assert.Equal(HttpStatusCode.OK, status);
        var request = await Integration.NextRequestAsync();

        Assert.Equal(("POST", "/commands"), (request.Method, request.Path));
        Assert.Equal("Token " + EmulatorWithIntegration.CommandToken, request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(Integrations.UserAgent, request.Headers["User-Agent"]);
        var form = request.Form;
        Assert.Equal(form.Select(f => f.Key).Order(StringComparer.Ordinal), form.Select(f => f.Key));
        Assert.Equal(EmulatorWithIntegration.CommandToken, request.Field("token"));
        Assert.Equal(TeamId, request.Field("team_id"));
        Assert.Equal(TeamName, request.Field("team_domain"));
        Assert.Equal(TownSquareId, request.Field("channel_id"));
        Assert.Equal("town-square", request.Field("channel_name"));
        Assert.Equal(HelpdeskId, request.Field("user_id"));
        Assert.Equal("hana", request.Field("user_name"));
        Assert.Equal("/sessions", request.Field("command"));
        // Everything after the first whitespace, as typed.
        Assert.Equal(" @Bob, and @nobody ~town-square ~ops", request.Field("text"));
        Assert.Equal("", request.Field("root_id"));
        Assert.Equal(["bob"], form.Where(f => f.Key == "user_mentions").Select(f => f.Value));
        Assert.Equal([BobId], form.Where(f => f.Key == "user_mentions_ids").Select(f => f.Value));
        Assert.Equal(["town-square", "ops"], form.Where(f => f.Key == "channel_mentions").Select(f => f.Value));
        Assert.Equal([TownSquareId, OpsChannelId], form.Where(f => f.Key == "channel_mentions_ids").Select(f => f.Value));
        var hookId = request.Field("response_url")[(sandbox.Server.BaseUrl + "/hooks/commands/").Length..];
        Assert.Equal(sandbox.Server.BaseUrl + "/hooks/commands/" + hookId, request.Field("response_url"));
        Assert.Matches("^[a-z0-9]{26}$", hookId);

        // The integration's trigger id is signed data naming the caller; the client gets only its first part.
        var trigger = Encoding.UTF8.GetString(Convert.FromBase64String(request.Field("trigger_id"))).Split(':');
        Assert.Equal(HelpdeskId, trigger[1]);
        Assert.Equal(trigger[0], body.GetProperty("trigger_id").GetString());
    }

    [Fact]
    public async Task NoMentionsMeansNoMentionFieldsAndAMethodGCommandSendsAQueryString()
    {
        await sandbox.ExecuteAsync("dana", "/getter");
        var request = await Integration.NextRequestAsync();
        Assert.Equal("GET", request.Method);
        Assert.Equal("", request.Field("text"));
        Assert.Equal("/getter", request.Field("command"));
        Assert.DoesNotContain(request.Form, f => f.Key.Contains("mentions"));
    }

    [Fact]
    public async Task AnEphemeralReplyIsAPostOnlyTheCallerSees()
    {
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new
        {
            response_type = "ephemeral",
            text = "Only **you** see this",
            skip_slack_parsing = true,
            attachments = new[] { new { text = "", actions = new[] { new { id = "confirm", name = "Confirm", type = "button", integration = new { url = Integration.Url + "/actions", context = new { secret = "s1" } } } } } },
        });
        var (status, body) = await sandbox.ExecuteAsync("hana", "/sessions @bob");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Only **you** see this", body.GetProperty("text").GetString());
        var post = Assert.Single(await sandbox.PostsAsync("hana"));
        Assert.Equal("system_ephemeral", post.GetProperty("type").GetString());
        Assert.Equal(HelpdeskId, post.GetProperty("user_id").GetString());
        Assert.Equal("Only **you** see this", post.GetProperty("message").GetString());
        Assert.Equal("true", post.GetProperty("props").GetProperty("from_webhook").GetString());
        Assert.Equal("sessionbot", post.GetProperty("props").GetProperty("override_username").GetString());
        var button = post.GetProperty("props").GetProperty("attachments")[0].GetProperty("actions")[0];
        Assert.Equal("confirm", button.GetProperty("id").GetString());
        // A client never sees where a button goes, nor its context.
        Assert.False(button.TryGetProperty("integration", out _));
        Assert.Empty(await sandbox.PostsAsync("dana"));
    }

    [Fact]
    public async Task AnInChannelReplyAndItsExtraResponsesArePosted()
    {
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new
        {
            response_type = "in_channel",
            text = "Everyone sees this",
            extra_responses = new[] { new { response_type = "ephemeral", text = "And only you this" } },
        });
        Assert.Equal(HttpStatusCode.OK, (await sandbox.ExecuteAsync("hana", "/sessions")).Status);

        Assert.Equal(["Everyone sees this"], (await sandbox.PostsAsync("dana")).Select(p => p.GetProperty("message").GetString()));
        var hanas = await sandbox.PostsAsync("hana");
        Assert.Equal(["Everyone sees this", "And only you this"], hanas.Select(p => p.GetProperty("message").GetString()));
        Assert.Equal(["", "system_ephemeral"], hanas.Select(p => p.GetProperty("type").GetString()));
    }

    [Theory]
    [InlineData(false, "@channel, see [the docs](https://example.com)")]
    [InlineData(true, "<!channel>, see <https://example.com|the docs>")]
    public async Task SlackMarkupIsConvertedUnlessTheReplySkipsIt(bool skip, string expected)
    {
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new { text = "<!channel>, see <https://example.com|the docs>", skip_slack_parsing = skip });
        await sandbox.ExecuteAsync("hana", "/sessions");
        Assert.Equal(expected, Assert.Single(await sandbox.PostsAsync("hana")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task APlainTextReplyIsShownAsEphemeralText()
    {
        Integration.Respond = http =>
        {
            http.Response.ContentType = "text/plain";
            return http.Response.WriteAsync("plain *answer*");
        };
        Assert.Equal(HttpStatusCode.OK, (await sandbox.ExecuteAsync("hana", "/sessions")).Status);
        var post = Assert.Single(await sandbox.PostsAsync("hana"));
        Assert.Equal(("plain *answer*", "system_ephemeral"), (post.GetProperty("message").GetString(), post.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task AnUnknownTriggerIsNotFound()
    {
        var (status, body) = await sandbox.ExecuteAsync("hana", "/Nope at all");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("api.command.execute_command.not_found.app_error", body.GetProperty("id").GetString());
        Assert.Equal("Command with a trigger of 'nope' not found. To send a message beginning with \"/\", try adding an empty space at the beginning of the message.", body.GetProperty("message").GetString());
        Assert.False(Integration.TryTakeRequest(out _));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "api.command.execute_command.start.app_error")]
    [InlineData("/", HttpStatusCode.BadRequest, "api.command.execute_command.start.app_error")]
    [InlineData("sessions", HttpStatusCode.BadRequest, "api.command.execute_command.start.app_error")]
    public async Task ACommandMustStartWithASlash(string command, HttpStatusCode expected, string id)
    {
        var (status, body) = await sandbox.ExecuteAsync("hana", command);
        Assert.Equal((expected, id), (status, body.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task RunningACommandNeedsCreatePostInTheChannel()
    {
        var (status, body) = await sandbox.ExecuteAsync("dana", "/sessions", OpsChannelId);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("api.context.permissions.app_error", body.GetProperty("id").GetString());
        Assert.False(Integration.TryTakeRequest(out _));
    }

    [Fact]
    public async Task ANon200AnswerIsReportedWithItsStatus()
    {
        Integration.Respond = http =>
        {
            http.Response.StatusCode = 500;
            return http.Response.WriteAsJsonAsync(new { text = "the body is only logged" });
        };
        var (status, body) = await sandbox.ExecuteAsync("hana", "/sessions");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("api.command.execute_command.failed_resp.app_error", body.GetProperty("id").GetString());
        Assert.Equal("Command with a trigger of 'sessions' returned response 500 Internal Server Error.", body.GetProperty("message").GetString());
        Assert.Empty(await sandbox.PostsAsync("hana"));
    }

    [Fact]
    public async Task AReplyThatIsNotJsonFails()
    {
        Integration.Respond = http =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("{ not json");
        };
        var (status, body) = await sandbox.ExecuteAsync("hana", "/sessions");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("Command with a trigger of 'sessions' failed.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnIntegrationThatDoesNotAnswerInTimeFails()
    {
        sandbox.World.Settings.OutgoingIntegrationRequestsTimeout = TimeSpan.FromMilliseconds(500);
        // Answers only when the emulator gives up.
        Integration.Respond = http => Task.Delay(Timeout.Infinite, http.RequestAborted);
        var (status, body) = await sandbox.ExecuteAsync("hana", "/sessions");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("api.command.execute_command.failed.app_error", body.GetProperty("id").GetString());
        Assert.Equal("Command with a trigger of 'sessions' failed.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnIntegrationThatCannotBeReachedFails()
    {
        lock (sandbox.World.Gate)
        {
            foreach (var command in sandbox.World.Commands.Values)
                command.Url = "http://127.0.0.1:9/commands";
        }
        var (status, body) = await sandbox.ExecuteAsync("hana", "/sessions");
        Assert.Equal((HttpStatusCode.InternalServerError, "Command with a trigger of 'sessions' failed."), (status, body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ResponseUrlRepliesArePostedWhereTheCommandRan()
    {
        await sandbox.ExecuteAsync("hana", "/sessions");
        var responseUrl = (await Integration.NextRequestAsync()).Field("response_url");
        using var client = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(responseUrl, new { text = "later, for you" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(responseUrl, new { response_type = "in_channel", text = "later, for everyone" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(responseUrl, new StringContent("later, plain text"))).StatusCode);

        var hanas = await sandbox.PostsAsync("hana");
        Assert.Equal(["ok", "later, for you", "later, for everyone", "later, plain text"], hanas.Select(p => p.GetProperty("message").GetString()));
        Assert.Equal(["later, for everyone"], (await sandbox.PostsAsync("dana")).Select(p => p.GetProperty("message").GetString()));
        Assert.All(hanas, p => Assert.Equal(HelpdeskId, p.GetProperty("user_id").GetString()));
    }

    [Fact]
    public async Task AResponseUrlTakesFivePostsWithinThirtyMinutes()
    {
        await sandbox.ExecuteAsync("hana", "/sessions");
        var responseUrl = (await Integration.NextRequestAsync()).Field("response_url");
        using var client = new HttpClient();
        for (var i = 0; i < ResponseUrlSink.MaxPosts; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(responseUrl, new { text = $"post {i}" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync(responseUrl, new { text = "sixth" })).StatusCode);
        Assert.Equal(1 + ResponseUrlSink.MaxPosts, (await sandbox.PostsAsync("hana")).Count);
    }

    [Fact]
    public async Task AResponseUrlExpiresAfterThirtyMinutes()
    {
        var clock = new ManualClock();
        await using var late = await EmulatorWithIntegration.StartAsync(clock);
        await late.ExecuteAsync("hana", "/sessions");
        var responseUrl = (await late.Integration.NextRequestAsync()).Field("response_url");
        clock.Advance(CommandWebhook.Lifetime + TimeSpan.FromSeconds(1));
        using var client = new HttpClient();
        var response = await client.PostAsJsonAsync(responseUrl, new { text = "too late" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheAutocompleteListHasTheRegisteredCommandsWithoutTokens()
    {
        using var dana = sandbox.As("dana");
        var commands = await dana.GetFromJsonAsync<JsonElement>($"teams/{TeamId}/commands/autocomplete");
        var sessions = commands.EnumerateArray().Single(c => c.GetProperty("trigger").GetString() == "sessions");
        Assert.Equal(("[@username]", "List sessions", ""), (sessions.GetProperty("auto_complete_hint").GetString(), sessions.GetProperty("auto_complete_desc").GetString(), sessions.GetProperty("token").GetString()));
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Sandbox;

namespace SessionBot.Tests.Mattermost;

/// <summary>The Refit client exactly as the bot registers it, over a scripted Mattermost.</summary>
public class MattermostClientTests
{
    /// <summary>Answers each request with the next of the given answers and keeps what it was sent.</summary>
    private sealed class ScriptedServer(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public List<(HttpMethod Method, string Path, string? Authorization, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add((request.Method, request.RequestUri!.PathAndQuery, request.Headers.Authorization?.ToString(),
                request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct)));
            var answer = answers[Math.Min(Requests.Count - 1, answers.Length - 1)];
            if (answer == NoAnswer)
                await Task.Delay(Timeout.Infinite, ct);
            return answer(request);
        }
    }

    private static (IMattermostClient Client, ScriptedServer Server) ClientOver(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) =>
        ClientOver(new MattermostOptions(), answers);

    private static (IMattermostClient Client, ScriptedServer Server) ClientOver(MattermostOptions options, params Func<HttpRequestMessage, HttpResponseMessage>[] answers)
    {
        var server = new ScriptedServer(answers);
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options with { Url = "http://mattermost.test", BotToken = "bottoken000000000000000005" }));
        services.AddMattermostClient().ConfigurePrimaryHttpMessageHandler(() => server);
        return (services.BuildServiceProvider().GetRequiredService<IMattermostClient>(), server);
    }

    private static Func<HttpRequestMessage, HttpResponseMessage> Json(HttpStatusCode status, string json) =>
        _ => new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static readonly Func<HttpRequestMessage, HttpResponseMessage> Ok = Json(HttpStatusCode.OK, """{"status":"OK"}""");

    private static Func<HttpRequestMessage, HttpResponseMessage> RateLimited(int seconds) => _ =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("limit exceeded\n") };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    };

    private static readonly Func<HttpRequestMessage, HttpResponseMessage> ServerError =
        Json(HttpStatusCode.InternalServerError, """{"id":"app.session.remove.app_error","message":"boom","status_code":500}""");

    private static Func<HttpRequestMessage, HttpResponseMessage> Throws(Exception e) => _ => throw e;

    /// <summary>Never answers (until the request is cancelled).</summary>
    private static readonly Func<HttpRequestMessage, HttpResponseMessage> NoAnswer = _ => throw new InvalidOperationException("not reached");

    [Fact]
    public async Task EveryCallCarriesTheBotTokenAsABearer()
    {
        var (client, server) = ClientOver(Json(HttpStatusCode.OK, """{"id":"bot0000000000000000000000b","username":"sessionbot"}"""));
        var me = await client.GetUserAsync("me", CancellationToken.None);
        Assert.Equal("sessionbot", me.Username);
        Assert.Equal(("GET", "/api/v4/users/me", "Bearer bottoken000000000000000005"), (server.Requests[0].Method.Method, server.Requests[0].Path, server.Requests[0].Authorization));
    }

    [Fact]
    public async Task FieldsMattermostLeavesOutReadAsEmptyNotNull()
    {
        var (client, _) = ClientOver(
            Json(HttpStatusCode.OK, """{"id":"bob00000000000000000000000","username":"bob"}"""),
            Json(HttpStatusCode.OK, """[{"id":"s0000001xxxxxxxxxxxxxxxxxx"}]"""));
        var user = await client.GetUserAsync("bob00000000000000000000000", CancellationToken.None);
        var session = Assert.Single(await client.GetSessionsAsync("bob00000000000000000000000", CancellationToken.None));
        Assert.Equal(["", "", "", "", "", ""], new[] { user.FirstName, user.LastName, user.Nickname, user.Email, user.Roles, user.AuthService });
        Assert.Equal(["", "", "", "", "", "", ""], new[] { session.UserId, session.DeviceId, session.Roles, session.Props.Platform, session.Props.Os, session.Props.Browser, session.Props.Type });
    }

    [Fact]
    public async Task AUsersLanguageAndTimeZoneAreReadAsTheServerSendsThem()
    {
        var (client, _) = ClientOver(
            Json(HttpStatusCode.OK, """
                [{"id":"greta000000000000000000000","username":"greta","locale":"de",
                  "timezone":{"automaticTimezone":"Europe/Berlin","manualTimezone":"Asia/Tokyo","useAutomaticTimezone":"false"}},
                 {"id":"bob00000000000000000000000","username":"bob"}]
                """));
        var users = await client.GetUsersByIdsAsync(["greta000000000000000000000", "bob00000000000000000000000"], CancellationToken.None);
        Assert.Equal(("de", "Asia/Tokyo"), (users[0].Locale, users[0].PreferredTimezone));
        // An older server, or a user who never chose: no language, no zone.
        Assert.Equal(("", ""), (users[1].Locale, users[1].PreferredTimezone));
    }

    [Fact]
    public async Task SessionsAreReadWithoutTheirTokenOrCsrf()
    {
        // A session exactly as Mattermost returns it to an admin token: a token (blank on newer servers), csrf always.
        var (client, _) = ClientOver(Json(HttpStatusCode.OK, """
            [{"id":"s0000001xxxxxxxxxxxxxxxxxx","token":"token-secret-value-456","create_at":1,"expires_at":0,"last_activity_at":1,
              "user_id":"bob00000000000000000000000","device_id":"","roles":"system_user","is_oauth":false,
              "props":{"csrf":"csrf-secret-value-123","platform":"Linux","os":"Linux","browser":"Firefox/120","user_access_token_id":"tok"},
              "team_members":[]}]
            """));
        var session = Assert.Single(await client.GetSessionsAsync("bob00000000000000000000000", CancellationToken.None));

        Assert.Equal(new SessionProps { Platform = "Linux", Os = "Linux", Browser = "Firefox/120" }, session.Props);
        var held = System.Text.Json.JsonSerializer.Serialize(session);
        Assert.DoesNotContain("csrf-secret-value-123", held, StringComparison.Ordinal);
        Assert.DoesNotContain("token-secret-value-456", held, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingCallsSendTheBodiesMattermostExpects()
    {
        var (client, server) = ClientOver(Ok);
        await client.RevokeSessionAsync("u0000000000000000000000000", "s0000000000000000000000000", CancellationToken.None);
        await client.SetActiveAsync("u0000000000000000000000000", false, CancellationToken.None);
        await client.RevokeAllSessionsAsync("u0000000000000000000000000", CancellationToken.None);
        await client.RevokeUserAccessTokenAsync("t0000000000000000000000000", CancellationToken.None);

        Assert.Equal(("POST", "/api/v4/users/u0000000000000000000000000/sessions/revoke", """{"session_id":"s0000000000000000000000000"}"""), Describe(server.Requests[0]));
        Assert.Equal(("PUT", "/api/v4/users/u0000000000000000000000000/active", """{"active":false}"""), Describe(server.Requests[1]));
        Assert.Equal(("POST", "/api/v4/users/u0000000000000000000000000/sessions/revoke/all", ""), Describe(server.Requests[2]));
        Assert.Equal(("POST", "/api/v4/users/tokens/revoke", """{"token_id":"t0000000000000000000000000"}"""), Describe(server.Requests[3]));
    }

    [Fact]
    public async Task PathSegmentsAreEscaped()
    {
        var (client, server) = ClientOver(Json(HttpStatusCode.NotFound, """{"id":"app.user.missing_account.const","status_code":404}"""));
        await Assert.ThrowsAsync<MattermostException>(() => client.GetUserByEmailAsync("a/../b@x.com", CancellationToken.None));
        Assert.Equal("/api/v4/users/email/a%2F..%2Fb%40x.com", server.Requests[0].Path);
    }

    [Fact]
    public async Task MattermostsErrorJsonBecomesATypedErrorWithItsIdAndStatus()
    {
        var (client, _) = ClientOver(Json(HttpStatusCode.Forbidden, """{"id":"api.context.permissions.app_error","message":"You do not have the appropriate permissions.","detailed_error":"","request_id":"r","status_code":403}"""));
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.SetActiveAsync("u0000000000000000000000000", false, CancellationToken.None));
        Assert.Equal((MattermostFailure.Rejected, 403, "api.context.permissions.app_error", true), (e.Failure, e.StatusCode, e.ErrorId, e.NothingChanged));
    }

    [Fact]
    public async Task AReadIsRetriedAfterAServerError()
    {
        var (client, server) = ClientOver(ServerError, Json(HttpStatusCode.OK, "[]"));
        Assert.Empty(await client.GetSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task ReadRetriesAreBounded()
    {
        var (client, server) = ClientOver(ServerError);
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.GetSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.Equal(MattermostFailure.ServerError, e.Failure);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task AChangeWhoseOutcomeIsUnknownIsNeverRepeated()
    {
        var (client, server) = ClientOver(ServerError, Ok);
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.RevokeAllSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.False(e.NothingChanged);
        Assert.Single(server.Requests);

        var (broken, brokenServer) = ClientOver(Throws(new HttpRequestException("reset", new IOException("connection reset"))), Ok);
        var dropped = await Assert.ThrowsAsync<MattermostException>(() => broken.SetActiveAsync("u0000000000000000000000000", false, CancellationToken.None));
        Assert.Equal(MattermostFailure.TimedOut, dropped.Failure);
        Assert.Single(brokenServer.Requests);
    }

    [Fact]
    public async Task AChangeThatNeverReachedMattermostIsRetried()
    {
        var (client, server) = ClientOver(Throws(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))), Ok);
        await client.RevokeAllSessionsAsync("u0000000000000000000000000", CancellationToken.None);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task RateLimitingIsHonouredAndRetriedWhenTheWaitIsShort()
    {
        var (client, server) = ClientOver(RateLimited(0), Ok);
        await client.RevokeAllSessionsAsync("u0000000000000000000000000", CancellationToken.None);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task ALongRateLimitIsReportedNotWaitedFor()
    {
        var (client, server) = ClientOver(RateLimited(120), Ok);
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.GetSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.True(e.IsRateLimited);
        Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
        Assert.True(e.NothingChanged);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ANonJsonSuccessBodyIsAServerError()
    {
        var (client, _) = ClientOver(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>", Encoding.UTF8, "text/html") });
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.GetRolesByNamesAsync(["system_user"], CancellationToken.None));
        Assert.Equal(MattermostFailure.ServerError, e.Failure);
    }

    [Fact]
    public async Task AnEmptyBulkLookUpMakesNoCall()
    {
        var (client, server) = ClientOver(Ok);
        Assert.Empty(await client.GetUsersByIdsAsync([], CancellationToken.None));
        Assert.Empty(await client.GetUsersByUsernamesAsync([], CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ABulkLookUpIsAReadThoughItIsAPostAndIsRetried()
    {
        var (client, server) = ClientOver(ServerError, Json(HttpStatusCode.OK, """[{"id":"bob00000000000000000000000","username":"bob"}]"""));
        var user = Assert.Single(await client.GetUsersByIdsAsync(["bob00000000000000000000000"], CancellationToken.None));
        Assert.Equal("bob", user.Username);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(("POST", "/api/v4/users/ids", """["bob00000000000000000000000"]"""), Describe(r)));
    }

    [Fact]
    public async Task AnEmptyRoleLookUpMakesNoCall()
    {
        var (client, server) = ClientOver(Ok);
        Assert.Empty(await client.GetRolesByNamesAsync([], CancellationToken.None));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task QueriesAndTheWholeCommandAreSentAsMattermostExpects()
    {
        var command = """{"id":"cmd0000000000000000000000c","team_id":"team000000000000000000000t","trigger":"sessions"}""";
        var (client, server) = ClientOver(Json(HttpStatusCode.OK, "[]"), Json(HttpStatusCode.OK, "[]"), Json(HttpStatusCode.OK, """{"EnableUserDeactivation":"false"}"""), Json(HttpStatusCode.OK, command));
        await client.GetBotsAsync(2, 200, CancellationToken.None);
        await client.GetCommandsAsync("team000000000000000000000t", CancellationToken.None);
        Assert.Equal("false", (await client.GetClientConfigAsync(CancellationToken.None))["EnableUserDeactivation"]);
        var updated = await client.UpdateCommandAsync(new SessionBot.Mattermost.SlashCommand { Id = "cmd0000000000000000000000c", TeamId = "team000000000000000000000t", Trigger = "sessions" }, CancellationToken.None);

        Assert.Equal("sessions", updated.Trigger);
        Assert.Equal("/api/v4/bots?page=2&per_page=200", server.Requests[0].Path);
        Assert.Equal("/api/v4/commands?custom_only=true&team_id=team000000000000000000000t", server.Requests[1].Path);
        Assert.Equal("/api/v4/config/client?format=old", server.Requests[2].Path);
        Assert.Equal(("PUT", "/api/v4/commands/cmd0000000000000000000000c"), (server.Requests[3].Method.Method, server.Requests[3].Path));
        Assert.Contains("\"trigger\":\"sessions\"", server.Requests[3].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadBotTokenIsARejectionThatChangedNothing()
    {
        var (client, server) = ClientOver(Json(HttpStatusCode.Unauthorized, """{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","status_code":401}"""));
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.RevokeAllSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.Equal((MattermostFailure.Rejected, 401, "api.context.session_expired.app_error", true), (e.Failure, e.StatusCode, e.ErrorId, e.NothingChanged));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task TheRateLimitResetIsTheWaitWhenThereIsNoRetryAfter()
    {
        var (client, _) = ClientOver(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("limit exceeded\n") };
            response.Headers.Add("X-Ratelimit-Reset", "60");
            return response;
        });
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.GetUserAsync("me", CancellationToken.None));
        Assert.Equal((MattermostFailure.Rejected, 429, TimeSpan.FromSeconds(60)), (e.Failure, e.StatusCode, e.RetryAfter));
    }

    [Fact]
    public async Task EachAttemptHasItsOwnTimeoutAndATimedOutReadIsRetried()
    {
        var options = new MattermostOptions { TimeoutSeconds = 0.2 };
        var (client, server) = ClientOver(options, NoAnswer, Json(HttpStatusCode.OK, "[]"));
        Assert.Empty(await client.GetSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);

        var (changing, changingServer) = ClientOver(options, NoAnswer, Ok);
        var e = await Assert.ThrowsAsync<MattermostException>(() => changing.RevokeAllSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.Equal((MattermostFailure.TimedOut, false), (e.Failure, e.NothingChanged));
        Assert.Single(changingServer.Requests);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotReportedAsAFailure()
    {
        var (client, server) = ClientOver(NoAnswer);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetUserAsync("me", cancel.Token));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ANonJsonAnswerToAChangeMeansItsOutcomeIsUnknown()
    {
        var (client, server) = ClientOver(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>", Encoding.UTF8, "text/html") });
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.SetActiveAsync("u0000000000000000000000000", true, CancellationToken.None));
        Assert.Equal((MattermostFailure.ServerError, false), (e.Failure, e.NothingChanged));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task JsonOfTheWrongShapeIsAServerError()
    {
        var (client, _) = ClientOver(Json(HttpStatusCode.OK, """{"id":"not a list"}"""));
        var e = await Assert.ThrowsAsync<MattermostException>(() => client.GetSessionsAsync("u0000000000000000000000000", CancellationToken.None));
        Assert.Equal(MattermostFailure.ServerError, e.Failure);
    }

    [Fact]
    public async Task ARepeatedChangeSendsItsBodyAgainOverARealConnection()
    {
        await using var emulator = await EmulatorServer.StartAsync(SandboxSeed.CreateDemoWorld());
        var active = $"/api/v4/users/{SandboxSeed.BobId}/active";
        emulator.World.Faults.Add(new Fault(active, FaultKind.RateLimited) { RetryAfterSeconds = 0, Times = 1 });
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new MattermostOptions { Url = emulator.BaseUrl, BotToken = SandboxSeed.BotToken }));
        services.AddMattermostClient();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IMattermostClient>().SetActiveAsync(SandboxSeed.BobId, false, CancellationToken.None);

        Assert.Equal([(429, """{"active":false}"""), (200, """{"active":false}""")], emulator.World.Requests.All.Where(r => r.Path == active).Select(r => (r.Status, r.Body)));
        Assert.NotEqual(0, emulator.World.Users[SandboxSeed.BobId].DeleteAt);
    }

    [Fact]
    public void JsonIsOnlyEverWrittenThroughTheGeneratedContext()
    {
        // A type the context does not list fails instead of falling back to reflection-based serialization.
        var serializer = MattermostClientServices.Settings().ContentSerializer;
        Assert.Throws<NotSupportedException>(() => serializer.ToHttpContent(new Uri("http://not.listed")));
        Assert.NotNull(serializer.ToHttpContent(new RevokeSessionRequest("s0000000000000000000000000")));
    }

    private static (string, string, string) Describe((HttpMethod Method, string Path, string? Authorization, string Body) r) => (r.Method.Method, r.Path, r.Body);
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;
using SessionBot.Mattermost;

namespace SessionBot.Tests.Mattermost;

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
            return answers[Math.Min(Requests.Count - 1, answers.Length - 1)](request);
        }
    }

    private static (MattermostClient Client, ScriptedServer Server) ClientOver(params Func<HttpRequestMessage, HttpResponseMessage>[] answers)
    {
        var server = new ScriptedServer(answers);
        var token = new BotTokenHandler(Options.Create(new MattermostOptions { BotToken = "bottoken000000000000000005" })) { InnerHandler = server };
        var http = new HttpClient(token) { BaseAddress = new Uri("http://mattermost.test/api/v4/") };
        return (new MattermostClient(http), server);
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

    private static (string, string, string) Describe((HttpMethod Method, string Path, string? Authorization, string Body) r) => (r.Method.Method, r.Path, r.Body);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>The emulator behaves like the Mattermost server (docs/mattermost.md §6) for the token's user.</summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private EmulatorServer server = null!;
    private World World => server.World;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(CreateDemoWorld());
        foreach (var user in World.Users.Values.ToArray())
            World.AddAccessToken(user.Id, "test", token: "token-of-" + user.Username);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private HttpClient As(string username)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/api/v4/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token-of-" + username);
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Read(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static string ErrorId(JsonElement body) => body.GetProperty("id").GetString()!;

    public static TheoryData<string, string, string, int> SessionRules => new()
    {
        // caller, target, call, expected status
        { "dana", DanaId, "list", 200 },
        { "dana", BobId, "list", 403 },
        { "hana", BobId, "list", 200 },
        { "hana", AdminId, "list", 403 },
        { "alex", AdminId, "list", 200 },
        { "uma", BobId, "list", 403 },
        { "dana", BobId, "revoke-all", 403 },
        { "hana", BobId, "revoke-all", 200 },
        { "hana", AdminId, "revoke-all", 403 },
        { "alex", BobId, "revoke-all", 200 },
        { "dana", BobId, "deactivate", 403 },
        { "hana", BobId, "deactivate", 403 },
        { "uma", BobId, "deactivate", 200 },
        { "uma", AdminId, "deactivate", 403 },
        { "alex", AdminId, "deactivate", 401 },   // self-deactivation follows the setting, even for an admin
        { "alex", BotUserId, "deactivate", 200 },  // an admin target, by an admin
        { "alex", LeeId, "deactivate", 403 },
        { "dana", DanaId, "deactivate", 401 },
        { "uma", ErinId, "activate", 200 },
        { "dana", ErinId, "activate", 403 },
        { "dana", "", "revoke-everyone", 403 },
        { "alex", "", "revoke-everyone", 200 },
    };

    [Theory]
    [MemberData(nameof(SessionRules))]
    public async Task TheServersPermissionRulesApplyToTheTokensUser(string caller, string target, string call, int expected)
    {
        using var client = As(caller);
        var response = call switch
        {
            "list" => await client.GetAsync($"users/{target}/sessions"),
            "revoke-all" => await client.PostAsync($"users/{target}/sessions/revoke/all", null),
            "deactivate" => await client.PutAsJsonAsync($"users/{target}/active", new { active = false }),
            "activate" => await client.PutAsJsonAsync($"users/{target}/active", new { active = true }),
            _ => await client.PostAsync("users/sessions/revoke/all", null),
        };
        Assert.Equal(expected, (int)response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (expected == 200 && call != "list")
            Assert.Equal("OK", body.GetProperty("status").GetString());
        if (expected == 403)
            Assert.StartsWith("api.", ErrorId(body));
    }

    [Fact]
    public async Task ErrorsCarryTheServersIdsAndStatuses()
    {
        using var dana = As("dana");
        var (status, body) = await Read(dana.GetAsync("users/not-an-id/sessions"));
        Assert.Equal((HttpStatusCode.BadRequest, "api.context.invalid_url_param.app_error"), (status, ErrorId(body)));
        Assert.Equal(400, body.GetProperty("status_code").GetInt32());

        (status, body) = await Read(dana.GetAsync("users/zzzzzzzzzzzzzzzzzzzzzzzzzz"));
        Assert.Equal((HttpStatusCode.NotFound, "app.user.missing_account.const"), (status, ErrorId(body)));

        (status, body) = await Read(dana.PostAsJsonAsync($"users/{DanaId}/sessions/revoke", new { session_id = "zzzzzzzzzzzzzzzzzzzzzzzzzz" }));
        Assert.Equal((HttpStatusCode.BadRequest, "app.session.get.app_error"), (status, ErrorId(body)));

        var bobsSession = World.Sessions.Values.First(s => s.UserId == BobId).Id;
        (status, body) = await Read(dana.PostAsJsonAsync($"users/{DanaId}/sessions/revoke", new { session_id = bobsSession }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(World.Sessions.ContainsKey(bobsSession));

        (status, body) = await Read(dana.PutAsJsonAsync($"users/{DanaId}/active", new { active = false }));
        Assert.Equal((HttpStatusCode.Unauthorized, "api.user.update_active.not_enable.app_error"), (status, ErrorId(body)));

        using var alex = As("alex");
        (status, body) = await Read(alex.PutAsJsonAsync($"users/{LeeId}/active", new { active = false }));
        Assert.Equal((HttpStatusCode.Forbidden, "api.user.update_active.cannot_modify_status_when_user_is_managed_by_ldap.app_error"), (status, ErrorId(body)));

        (status, body) = await Read(alex.PutAsync($"users/{BobId}/active", new StringContent("""{"active":"false"}""", Encoding.UTF8, "application/json")));
        Assert.Equal((HttpStatusCode.BadRequest, "api.context.invalid_body_param.app_error"), (status, ErrorId(body)));
    }

    [Fact]
    public async Task ABadTokenGets401SessionExpired()
    {
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/api/v4/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
        var (status, body) = await Read(client.GetAsync("users/me"));
        Assert.Equal((HttpStatusCode.Unauthorized, "api.context.session_expired.app_error"), (status, ErrorId(body)));
    }

    [Fact]
    public async Task DeactivationDeletesSessionsAndDisablesOwnedBotsAndTheUsersTokens()
    {
        using var uma = As("uma");
        Assert.Equal(HttpStatusCode.OK, (await uma.PutAsJsonAsync($"users/{BobId}/active", new { active = false })).StatusCode);
        Assert.DoesNotContain(World.Sessions.Values, s => s.UserId == BobId);
        Assert.NotEqual(0, World.Bots[BuildBotId].DeleteAt);
        using var bob = As("bob");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("users/me")).StatusCode);
    }

    [Fact]
    public async Task RevokingAnAccessTokenEndsItsSessionButRevokingTheSessionDoesNotCutTheToken()
    {
        using var tina = As("tina");
        using var tinasCiScript = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/api/v4/") };
        tinasCiScript.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sandbox-tina-token");
        var tokenSession = World.Sessions.Values.Single(s => s.Props.GetValueOrDefault("user_access_token_id") == TinaTokenId).Id;

        await tina.PostAsJsonAsync($"users/{TinaId}/sessions/revoke", new { session_id = tokenSession });
        Assert.Equal(HttpStatusCode.OK, (await tinasCiScript.GetAsync("users/me")).StatusCode);
        Assert.Contains(World.Sessions.Values, s => s.Props.GetValueOrDefault("user_access_token_id") == TinaTokenId);

        Assert.Equal(HttpStatusCode.OK, (await tina.PostAsJsonAsync("users/tokens/revoke", new { token_id = TinaTokenId })).StatusCode);
        Assert.DoesNotContain(World.Sessions.Values, s => s.Props.GetValueOrDefault("user_access_token_id") == TinaTokenId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tinasCiScript.GetAsync("users/me")).StatusCode);
    }

    [Fact]
    public async Task RevokeEveryoneEndsEverySessionButTheBotsTokenStillWorks()
    {
        using var alex = As("alex");
        await alex.PostAsync("users/sessions/revoke/all", null);
        Assert.Empty(World.Sessions);
        using var bot = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/api/v4/") };
        bot.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BotToken);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("users/me")).StatusCode);
    }

    [Fact]
    public async Task AuthServiceIsBlankedForReadersWithoutManageSystem()
    {
        using var dana = As("dana");
        using var alex = As("alex");
        Assert.Equal("", (await dana.GetFromJsonAsync<JsonElement>($"users/{LeeId}")).GetProperty("auth_service").GetString());
        Assert.Equal("ldap", (await alex.GetFromJsonAsync<JsonElement>($"users/{LeeId}")).GetProperty("auth_service").GetString());
    }

    [Fact]
    public async Task UsersCarryTheirLanguageAndTimeZoneAsTheServerStoresThem()
    {
        using var dana = As("dana");
        var users = await (await dana.PostAsJsonAsync("users/ids", new[] { GretaId, SamId, LeeId, UserManagerId, DanaId })).Content.ReadFromJsonAsync<JsonElement>();
        var read = users.EnumerateArray().ToDictionary(u => u.GetProperty("username").GetString()!, u =>
        {
            var zone = u.GetProperty("timezone");
            return (u.GetProperty("locale").GetString(), zone.GetProperty("useAutomaticTimezone").GetString(), zone.GetProperty("automaticTimezone").GetString(), zone.GetProperty("manualTimezone").GetString());
        });
        Assert.Equal(("de", "true", "Europe/Berlin", ""), read["greta"]);
        Assert.Equal(("fr", "true", "Europe/Paris", ""), read["sam"]);
        Assert.Equal(("es", "false", "", "America/Mexico_City"), read["lee"]);
        Assert.Equal(("en", "false", "", "Asia/Tokyo"), read["uma"]);
        Assert.Equal(("en", "true", "", ""), read["dana"]);
    }

    [Fact]
    public async Task BulkLookUpsLeaveUnknownEntriesOut()
    {
        using var dana = As("dana");
        var users = await (await dana.PostAsJsonAsync("users/ids", new[] { BobId, "zzzzzzzzzzzzzzzzzzzzzzzzzz" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, users.GetArrayLength());
        var roles = await (await dana.PostAsJsonAsync("roles/names", new[] { "system_user", "no_such_role" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("system_user", roles[0].GetProperty("name").GetString());
        Assert.Equal(1, roles.GetArrayLength());
    }

    [Fact]
    public async Task SessionsComeBackAsTheApiReturnsThemTokenBlankCsrfIncluded()
    {
        using var dana = As("dana");
        var sessions = await dana.GetFromJsonAsync<JsonElement>($"users/{DanaId}/sessions");
        Assert.All(sessions.EnumerateArray(), s =>
        {
            Assert.Equal("", s.GetProperty("token").GetString());
            Assert.True(s.GetProperty("props").TryGetProperty("csrf", out _));
        });
    }

    [Fact]
    public async Task EachFaultKindBehavesAsSpecified()
    {
        using var dana = As("dana");
        World.Faults.Add(new Fault("/api/v4/users/me", FaultKind.ServerError) { Times = 1 });
        var (status, body) = await Read(dana.GetAsync("users/me"));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(500, body.GetProperty("status_code").GetInt32());

        World.Faults.Add(new Fault("/api/v4/users/me", FaultKind.RateLimited) { Times = 1, RetryAfterSeconds = 7 });
        var limited = await dana.GetAsync("users/me");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("limit exceeded\n", await limited.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("7", limited.Headers.GetValues("X-Ratelimit-Reset").Single());

        World.Faults.Add(new Fault("/api/v4/users/me", FaultKind.DropConnection) { Times = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => dana.GetAsync("users/me"));

        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync("users/me")).StatusCode);
    }

    [Fact]
    public async Task AResponseUrlTakesFivePostsAndRefusesTheSixth()
    {
        using var client = new HttpClient();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{server.BaseUrl}/hooks/commands/abc", new { text = $"post {i}" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"{server.BaseUrl}/hooks/commands/abc", new { text = "sixth" })).StatusCode);
        Assert.Equal(5, World.ResponseUrls.PostsTo("abc").Count);
    }

    [Fact]
    public async Task CreatingAPostNeedsChannelMembershipAndAnswers201()
    {
        using var dana = As("dana");
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.PostAsJsonAsync("posts", new { channel_id = OpsChannelId, message = "hi" })).StatusCode);
        using var bot = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/api/v4/") };
        bot.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BotToken);
        Assert.Equal(HttpStatusCode.Created, (await bot.PostAsJsonAsync("posts", new { channel_id = OpsChannelId, message = "hi" })).StatusCode);
    }
}

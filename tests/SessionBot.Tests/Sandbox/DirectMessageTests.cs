using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionBot.Audit;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// Reasons and the direct message to the person acted on, the real bot against the emulator: what lands in whose
/// direct messages, what the ops channel and the audit trail keep, and <c>POST /channels/direct</c> as the server answers it.
/// </summary>
public class DirectMessageTests
{
    private static string[] MessagesOf(SandboxBot bot, string userId) =>
        [.. bot.World.DirectMessagesOf(userId).Select(p => ReplyText.Plain(p.Message))];

    [Fact]
    public async Task HelpdeskSigningSomeoneOutTellsThemWhoWhenWhyAndWhatToDoAndTellsNobodyElse()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes --reason \"phishing report, ticket 4711\"");
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        Assert.EndsWith("Reason: phishing report, ticket 4711", reply);

        var post = Assert.Single(bot.World.DirectMessagesOf(BobId));
        Assert.Equal(BotUserId, post.UserId);
        var channel = bot.World.Channels[post.ChannelId];
        Assert.Equal(("D", string.Join("__", new[] { BobId, BotUserId }.Order(StringComparer.Ordinal))), (channel.Type, channel.Name));
        Assert.Contains("`@hana` signed you out of Mattermost everywhere on ", post.Message);
        Assert.Contains("Reason: phishing report, ticket 4711", ReplyText.Plain(post.Message));
        Assert.Contains("What to do now: sign in again", post.Message);
        // Only Bob: not the caller, not anyone else.
        Assert.Empty(bot.World.DirectMessagesOf(HelpdeskId));
        Assert.Equal(1, bot.World.Channels.Values.Count(c => c.Type == "D"));
        // The ops channel says the reason too.
        Assert.Contains(bot.World.Posts, p => p.ChannelId == OpsChannelId && p.Message.Contains("`@hana` revoke all sessions of `@bob`: done.")
            && ReplyText.Plain(p.Message).Contains("Reason: phishing report, ticket 4711"));
    }

    [Fact]
    public async Task TheSameChannelCarriesEveryMessageToOnePerson()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        bot.World.AddSession(BobId);
        await bot.CommandAsync(AdminId, "revoke", "all @bob --yes");
        var messages = bot.World.DirectMessagesOf(BobId);
        Assert.Equal(2, messages.Count);
        Assert.Single(messages.Select(m => m.ChannelId).Distinct());
        // The channel is remembered: the second message is one call, the post.
        Assert.Single(bot.World.Requests.All, r => r.Path == "/api/v4/channels/direct");
        Assert.Contains("`@alex`", messages[1].Message);
    }

    [Fact]
    public async Task ARevokedTokenAndARevokedSessionAreToldToTheirOwner()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(AdminId, "revoke", $"token {TinaTokenId} --reason found in a public repository");
        await bot.CommandAsync(HelpdeskId, "revoke", "k1m2 dana --reason lost laptop");

        var tina = Assert.Single(MessagesOf(bot, TinaId));
        Assert.Contains("`@alex` revoked your personal access token `tinatoke` (\"CI deploy script\")", tina);
        Assert.Contains("Reason: found in a public repository", tina);
        var dana = Assert.Single(MessagesOf(bot, DanaId));
        Assert.Contains("`@hana` signed out one of your Mattermost sessions (`k1m2n3p4`)", dana);
        Assert.Contains("Reason: lost laptop", dana);
    }

    [Fact]
    public async Task SelfServiceRevokeEveryoneAndDeactivationAreToldToNobody()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.ClientConfig["EnableUserDeactivation"] = "true";
        await bot.CommandAsync(DanaId, "revoke", "all");
        await bot.CommandAsync(TinaId, "revoke", $"token {TinaTokenId}");
        await bot.CommandAsync(UserManagerId, "deactivate", "@bob --yes --reason left the company");
        await bot.CommandAsync(SamId, "deactivate", "me --yes");
        await bot.CommandAsync(AdminId, "revoke", "everyone --yes --reason incident 42");

        Assert.DoesNotContain(bot.World.Channels.Values, c => c.Type == "D");
        Assert.DoesNotContain(bot.World.Requests.All, r => r.Path == "/api/v4/channels/direct");
    }

    [Fact]
    public async Task AReactivationSaysWhenAndWhyTheAccountHadBeenDeactivated()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(UserManagerId, "deactivate", "@bob --yes --reason left the company");
        Assert.Empty(bot.World.DirectMessagesOf(BobId));

        await bot.CommandAsync(AdminId, "activate", "@bob --yes --reason rehired");

        var message = Assert.Single(MessagesOf(bot, BobId));
        Assert.Contains("`@alex` reactivated your Mattermost account on ", message);
        Assert.Contains("Reason: rehired\n", message);
        Assert.Matches(@"It had been deactivated by `@uma` on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, for this reason: left the company\n", message);
    }

    [Fact]
    public async Task TheConfirmButtonCarriesTheReasonToTheRecordTheOutcomeAndTheMessage()
    {
        await using var bot = await SandboxBot.StartAsync();
        var question = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob --reason “laptop stolen”");
        Assert.Contains("Reason: laptop stolen\nNothing has changed yet.", ReplyText.Plain(question));
        Assert.Empty(bot.World.DirectMessagesOf(BobId));

        var done = await bot.ClickAsync(HelpdeskId, SandboxBot.Button(question, "confirm"));

        Assert.EndsWith("Reason: laptop stolen", done);
        Assert.Contains("Reason: laptop stolen", Assert.Single(MessagesOf(bot, BobId)));
        var audit = bot.Services.GetRequiredService<IAuditStore>();
        var records = await audit.QueryAsync(new AuditQuery(TargetId: BobId), CancellationToken.None);
        Assert.Equal(["done", "asked to confirm"], records.Select(r => r.Outcome == AuditOutcome.Done ? "done" : r.Reason));
        Assert.All(records, r => Assert.Equal("laptop stolen", r.GivenReason));
        Assert.Contains("@hana · revoke-all → @bob · done · reason: laptop stolen", await bot.CommandAsync(BobId, "sessions", "audit"));
    }

    [Fact]
    public async Task WithoutButtonsTheCommandTypedAgainWithYesKeepsTheReason()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Bot:PublicUrl"] = "", ["Bot:ActionSecret"] = "" });
        var question = await bot.CommandAsync(UserManagerId, "activate", "@erin --reason back from leave");
        Assert.Contains("To go ahead, send `/activate @erin --reason back from leave --yes`", question);

        var done = await bot.CommandAsync(UserManagerId, "activate", "@erin --reason back from leave --yes");
        Assert.Contains("Activated @erin", done);
        Assert.EndsWith("Reason: back from leave", done);
    }

    [Fact]
    public async Task RequireReasonRefusesSomeoneElseWithoutOneButNeverSelfService()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Policy:RequireReason"] = "true" });
        var refused = await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        Assert.Contains("Say why you act on someone else", refused);
        Assert.Empty(bot.Changes);
        Assert.Empty(bot.World.DirectMessagesOf(BobId));

        Assert.Contains("Revoked 4 sessions of yours", await bot.CommandAsync(DanaId, "revoke", "all"));
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes --reason ticket 4711"));
    }

    [Fact]
    public async Task AMessageThatCannotBePostedIsRecordedAndTheActionStandsDone()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Faults.Add(new Fault("/api/v4/channels/direct", FaultKind.ServerError));

        var reply = await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes --reason offboarding");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", reply);
        Assert.Empty(bot.World.DirectMessagesOf(BobId));
        var records = await bot.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery(TargetId: BobId), CancellationToken.None);
        var failed = Assert.Single(records, r => r.Action == AffectedPeople.AuditName);
        Assert.Equal((AuditOutcome.Failed, "app.sandbox.injected_fault.app_error", "revoke-all", "offboarding"), (failed.Outcome, failed.ErrorId, failed.Detail, failed.GivenReason));
        Assert.Contains(records, r => r.Action == "revoke-all" && r.Outcome == AuditOutcome.Done);
    }

    [Fact]
    public async Task NotifyAffectedPeopleFalseSendsNoMessage()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Notify:AffectedPeople"] = "false" });
        await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        Assert.Empty(bot.World.DirectMessagesOf(BobId));
    }

    [Fact]
    public async Task NotifyContactIsAddedToEachMessageAsTheOperatorWroteIt()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Notify:Contact"] = "Questions: ~it-help or [the IT page](https://it.example.com)" });
        await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        Assert.EndsWith("\nQuestions: ~it-help or [the IT page](https://it.example.com)", Assert.Single(bot.World.DirectMessagesOf(BobId)).Message);
    }

    // POST /api/v4/channels/direct, as the emulator answers it (docs/mattermost.md §7).

    private static HttpClient As(EmulatorServer server, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/api/v4/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DirectAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("channels/direct", body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task TheEmulatorMakesADirectChannelOnceNamedByTheSortedIdsAndGivesItBackAfter()
    {
        await using var server = await EmulatorServer.StartAsync(CreateDemoWorld());
        server.World.AddAccessToken(DanaId, "test", token: "dana-token");
        using var dana = As(server, "dana-token");

        var (status, first) = await DirectAsync(dana, new[] { DanaId, BobId });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("D", $"{BobId}__{DanaId}", ""), (first.GetProperty("type").GetString(), first.GetProperty("name").GetString(), first.GetProperty("team_id").GetString()));
        var (again, second) = await DirectAsync(dana, new[] { BobId, DanaId });
        Assert.Equal(HttpStatusCode.Created, again);
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        // A channel with oneself is allowed.
        var (self, own) = await DirectAsync(dana, new[] { DanaId, DanaId });
        Assert.Equal((HttpStatusCode.Created, $"{DanaId}__{DanaId}"), (self, own.GetProperty("name").GetString()));
        // Only its two members may post in it; they can.
        Assert.Equal(HttpStatusCode.Created, (await dana.PostAsJsonAsync("posts", new { channel_id = first.GetProperty("id").GetString(), message = "hi" })).StatusCode);
        Assert.Equal(["hi"], server.World.DirectMessagesOf(BobId).Select(p => p.Message));
    }

    public static TheoryData<string, string, int, string> Refusals => new()
    {
        // caller's token, body, status, error id (api4/channel.go createDirectChannel; app/channel.go createDirectChannel)
        { "dana-token", $"[\"{DanaId}\"]", 400, "api.context.invalid_body_param.app_error" },
        { "dana-token", $"[\"{DanaId}\",\"{BobId}\",\"{AdminId}\"]", 400, "api.context.invalid_body_param.app_error" },
        { "dana-token", $"{{\"user_id\":\"{BobId}\"}}", 400, "api.context.invalid_body_param.app_error" },
        { "dana-token", $"[\"{DanaId}\",\"not-an-id\"]", 400, "api.context.invalid_body_param.app_error" },
        // Not one of the two, and no manage_system.
        { "dana-token", $"[\"{BobId}\",\"{AdminId}\"]", 403, "api.context.permissions.app_error" },
        // Unknown user.
        { "dana-token", $"[\"{DanaId}\",\"nobody00000000000000000000\"]", 400, "api.channel.create_direct_channel.invalid_user.app_error" },
        { "alex-token", $"[\"{BobId}\",\"nobody00000000000000000000\"]", 400, "api.channel.create_direct_channel.invalid_user.app_error" },
        // A role without create_direct_channel.
        { "guest-token", $"[\"{GuestId}\",\"{BobId}\"]", 403, "api.context.permissions.app_error" },
    };

    private const string GuestId = "guest000000000000000000000";

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task TheEmulatorRefusesADirectChannelAsTheServerDoes(string token, string body, int status, string errorId)
    {
        await using var server = await EmulatorServer.StartAsync(CreateDemoWorld());
        server.World.AddAccessToken(DanaId, "test", token: "dana-token");
        server.World.AddAccessToken(AdminId, "test", token: "alex-token");
        server.World.AddUser(GuestId, "guest", "system_guest");
        server.World.AddAccessToken(GuestId, "test", token: "guest-token");
        using var client = As(server, token);

        using var response = await client.PostAsync("channels/direct", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(errorId, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        Assert.DoesNotContain(server.World.Channels.Values, c => c.Type == "D");
    }

    [Fact]
    public async Task WithManageSystemTheCallerNeedNotBeOneOfTheTwo()
    {
        await using var server = await EmulatorServer.StartAsync(CreateDemoWorld());
        server.World.AddAccessToken(AdminId, "test", token: "alex-token");
        using var alex = As(server, "alex-token");
        var (status, channel) = await DirectAsync(alex, new[] { BobId, DanaId });
        Assert.Equal((HttpStatusCode.Created, $"{BobId}__{DanaId}"), (status, channel.GetProperty("name").GetString()));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// Outgoing webhooks as the server fires them on a post (mattermost.md §3): public channel, first word, the form
/// fields, and the answer posted in the thread of the triggering post.
/// </summary>
public sealed class OutgoingWebhookTests : IAsyncLifetime
{
    private const string WebhookToken = "fake-webhook-token";
    private EmulatorWithIntegration sandbox = null!;
    private FakeIntegration Integration => sandbox.Integration;

    public async Task InitializeAsync()
    {
        sandbox = await EmulatorWithIntegration.StartAsync();
        lock (sandbox.World.Gate)
        {
            sandbox.World.OutgoingWebhooks.Add(new OutgoingWebhook
            {
                Id = World.NewId(),
                Token = WebhookToken,
                TeamId = TeamId,
                ChannelId = OpsChannelId,
                CreatorId = AdminId,
                TriggerWords = ["sessions", "revoke"],
                CallbackUrls = [Integration.Url + "/webhooks"],
                DisplayName = "SessionBot",
                Username = "sessionbot",
            });
        }
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new { text = "Answered", response_type = "comment" });
    }

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    private async Task<JsonElement> PostAsync(HttpClient client, string channelId, string message)
    {
        var response = await client.PostAsJsonAsync("posts", new { channel_id = channelId, message });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var post = await response.Content.ReadFromJsonAsync<JsonElement>();
        await sandbox.World.BackgroundIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return post;
    }

    [Fact]
    public async Task APostWhoseFirstWordIsATriggerWordIsSentToTheCallbackAndAnsweredInItsThread()
    {
        using var hana = sandbox.As("hana");
        var before = sandbox.World.Now / 1000;
        var post = await PostAsync(hana, OpsChannelId, "revoke all @bob --reason left");

        var request = await Integration.NextRequestAsync();
        Assert.Equal(("POST", "/webhooks", "application/x-www-form-urlencoded"), (request.Method, request.Path, request.ContentType));
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(WebhookToken, request.Field("token"));
        Assert.Equal(TeamId, request.Field("team_id"));
        Assert.Equal(TeamName, request.Field("team_domain"));
        Assert.Equal(OpsChannelId, request.Field("channel_id"));
        Assert.Equal("ops", request.Field("channel_name"));
        Assert.InRange(long.Parse(request.Field("timestamp")), before, before + 60);
        Assert.Equal(HelpdeskId, request.Field("user_id"));
        Assert.Equal("hana", request.Field("user_name"));
        Assert.Equal(post.GetProperty("id").GetString(), request.Field("post_id"));
        Assert.Equal("revoke all @bob --reason left", request.Field("text"));
        Assert.Equal("revoke", request.Field("trigger_word"));
        Assert.Equal("", request.Field("file_ids"));

        var answer = (await sandbox.PostsAsync("uma", OpsChannelId)).Last();
        Assert.Equal("Answered", answer.GetProperty("message").GetString());
        Assert.Equal(post.GetProperty("id").GetString(), answer.GetProperty("root_id").GetString());
        Assert.Equal(AdminId, answer.GetProperty("user_id").GetString());
        Assert.Equal("", answer.GetProperty("type").GetString());
        Assert.Equal("true", answer.GetProperty("props").GetProperty("from_webhook").GetString());
        Assert.Equal("sessionbot", answer.GetProperty("props").GetProperty("override_username").GetString());
        Assert.Equal("SessionBot", answer.GetProperty("props").GetProperty("webhook_display_name").GetString());
    }

    [Fact]
    public async Task AnAnswerWithoutCommentIsPostedInTheChannelAndAnEmptyOneNotAtAll()
    {
        using var hana = sandbox.As("hana");
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new { text = "top level" });
        await PostAsync(hana, OpsChannelId, "sessions");
        Assert.Equal("", (await sandbox.PostsAsync("hana", OpsChannelId)).Last().GetProperty("root_id").GetString());

        Integration.Respond = _ => Task.CompletedTask;
        await PostAsync(hana, OpsChannelId, "sessions");
        await Integration.NextRequestAsync();
        await Integration.NextRequestAsync();
        Assert.Equal(3, (await sandbox.PostsAsync("hana", OpsChannelId)).Count);
    }

    [Theory]
    [InlineData("hana", OpsChannelId, "please revoke all @bob")]
    [InlineData("hana", OpsChannelId, "revoked")]
    [InlineData("hana", OpsChannelId, "Revoke all @bob")]
    [InlineData("dana", TownSquareId, "revoke all @bob")]
    public async Task OtherMessagesAndOtherChannelsDoNotFireIt(string username, string channelId, string message)
    {
        using var client = sandbox.As(username);
        await PostAsync(client, channelId, message);
        Assert.False(Integration.TryTakeRequest(out _));
    }

    [Fact]
    public async Task TheBotsOwnPostsDoNotFireIt()
    {
        using var bot = new HttpClient { BaseAddress = new Uri(sandbox.Server.BaseUrl + "/api/v4/") };
        bot.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BotToken);
        await PostAsync(bot, OpsChannelId, "revoke all @bob: done.");
        Assert.False(Integration.TryTakeRequest(out _));
    }

    [Fact]
    public async Task APrivateChannelNeverFiresIt()
    {
        lock (sandbox.World.Gate)
        {
            sandbox.World.Channels["priv0000000000000000000000"] = new Channel { Id = "priv0000000000000000000000", TeamId = TeamId, Name = "private", Type = "P", Members = [HelpdeskId] };
            sandbox.World.OutgoingWebhooks[0] = new OutgoingWebhook { Id = World.NewId(), Token = WebhookToken, TeamId = TeamId, CreatorId = AdminId, TriggerWords = ["revoke"], CallbackUrls = [Integration.Url] };
        }
        using var hana = sandbox.As("hana");
        await PostAsync(hana, "priv0000000000000000000000", "revoke all @bob");
        Assert.False(Integration.TryTakeRequest(out _));
    }
}

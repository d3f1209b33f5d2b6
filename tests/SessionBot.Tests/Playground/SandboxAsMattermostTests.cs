using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Playground;

/// <summary>
/// The Development sandbox as a stand-in Mattermost, through the REST API Mattermost's own clients use: the bot
/// started as <c>dotnet run</c> starts it, its commands and webhook registered in the emulator, no form written by hand.
/// </summary>
public sealed class SandboxAsMattermostTests : IAsyncLifetime
{
    private PlaygroundHost host = null!;

    public async Task InitializeAsync() => host = await PlaygroundHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private int SessionsOf(string userId)
    {
        lock (host.World.Gate)
            return host.World.Sessions.Values.Count(s => s.UserId == userId);
    }

    private async Task<IReadOnlyList<JsonElement>> PostsAsync(string username, string channelId = TownSquareId)
    {
        using var client = host.As(username);
        var list = await client.GetFromJsonAsync<JsonElement>($"channels/{channelId}/posts");
        var posts = list.GetProperty("posts");
        return [.. list.GetProperty("order").EnumerateArray().Reverse().Select(id => posts.GetProperty(id.GetString()!))];
    }

    private static string Text(JsonElement post) => post.GetProperty("message").GetString()!.Replace("\\", "").Replace("\u200D", "");

    [Theory]
    [InlineData("/sessions help")]
    [InlineData("/revoke help")]
    [InlineData("/deactivate help")]
    [InlineData("/activate help")]
    public async Task TheBotAcceptsEveryCommandTheSandboxRegistered(string command)
    {
        var (status, body) = await host.ExecuteAsync("dana", command);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(command.Split(' ')[0], body.GetProperty("text").GetString()!);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Message.Contains("its token is not the one configured"));
        var reply = Assert.Single(await PostsAsync("dana"));
        Assert.Equal("system_ephemeral", reply.GetProperty("type").GetString());
        Assert.Equal("sessionbot", reply.GetProperty("props").GetProperty("override_username").GetString());
    }

    [Fact]
    public async Task HelpdeskConfirmsARevokeWithAClickAsAClientWould()
    {
        var (status, _) = await host.ExecuteAsync("hana", "/revoke all @bob");
        Assert.Equal(HttpStatusCode.OK, status);
        var question = Assert.Single(await PostsAsync("hana"));
        Assert.Contains("Revoke 3 sessions of @bob (Bob Stone)?", Text(question));
        Assert.Equal(3, SessionsOf(BobId));

        using var hana = host.As("hana");
        var click = await hana.PostAsJsonAsync($"posts/{question.GetProperty("id").GetString()}/actions/confirm", new { selected_option = "", cookie = "" });
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        await host.OpsNoticesPostedAsync();

        Assert.Equal(0, SessionsOf(BobId));
        Assert.Contains("out everywhere", Text((await PostsAsync("hana")).Last()));
        Assert.Contains("`@hana` revoke all sessions of `@bob`: done.", Text((await PostsAsync("alex", OpsChannelId)).Last()));
        // Bob's browser was one of them: the playground's token no longer signs him in.
        using var bob = host.As("bob");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("users/me")).StatusCode);
    }

    private async Task<JsonElement[]> ChannelsAsync(string username, string userId = "me")
    {
        using var client = host.As(username);
        return [.. (await client.GetFromJsonAsync<JsonElement>($"users/{userId}/teams/{TeamId}/channels")).EnumerateArray()];
    }

    [Fact]
    public async Task TheDirectMessageToAPersonActedOnIsInTheirChannelsAndOnlyTheyMayReadIt()
    {
        var (status, _) = await host.ExecuteAsync("hana", "/revoke all @bob --yes");
        Assert.Equal(HttpStatusCode.OK, status);
        await host.OpsNoticesPostedAsync();
        // Bob's playground browser was signed out with the rest: he signs in again, as the message tells him to.
        Assert.True(SignIn(host.World, BobId));

        // As the server lists a team's channels: the person's direct messages come with them, with no team and no display name.
        var channels = await ChannelsAsync("bob");
        var direct = Assert.Single(channels, c => c.GetProperty("type").GetString() == "D");
        Assert.Equal(("", "", $"{BobId}__{BotUserId}"), (direct.GetProperty("team_id").GetString(), direct.GetProperty("display_name").GetString(), direct.GetProperty("name").GetString()));
        Assert.Contains(channels, c => c.GetProperty("id").GetString() == TownSquareId);
        var directId = direct.GetProperty("id").GetString()!;
        Assert.Equal(directId, Assert.Single(await ChannelsAsync("alex", BobId), c => c.GetProperty("type").GetString() == "D").GetProperty("id").GetString());
        // As the server's SessionHasPermissionToUser: edit_other_users lists a plain user's channels, not an admin's.
        Assert.Contains(await ChannelsAsync("hana", BobId), c => c.GetProperty("id").GetString() == directId);
        using (var hana = host.As("hana"))
        {
            using var ofAnAdmin = await hana.GetAsync($"users/{AdminId}/teams/{TeamId}/channels");
            Assert.Equal(HttpStatusCode.Forbidden, ofAnAdmin.StatusCode);
        }

        var message = Assert.Single(await PostsAsync("bob", directId));
        Assert.Equal(BotUserId, message.GetProperty("user_id").GetString());
        Assert.Contains("`@hana` signed you out of Mattermost everywhere on ", message.GetProperty("message").GetString());
        Assert.Equal(1, direct.GetProperty("total_msg_count").GetInt32());

        // Nobody else has it, or may read it.
        Assert.DoesNotContain(await ChannelsAsync("dana"), c => c.GetProperty("type").GetString() == "D");
        using var dana = host.As("dana");
        using var refused = await dana.GetAsync($"channels/{directId}/posts");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("api.context.permissions.app_error", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ASlashCommandInADirectMessageRunsOnTheTeamTheClientNames()
    {
        var direct = host.World.DirectChannel(GretaId, BotUserId);

        var (status, body) = await host.ExecuteAsync("greta", "/sessions", direct.Id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Ihre Sitzungen", body.GetProperty("text").GetString());
        var reply = Assert.Single(await PostsAsync("greta", direct.Id));
        Assert.Equal("system_ephemeral", reply.GetProperty("type").GetString());
    }

    [Fact]
    public async Task APlainUserIsRefusedAnotherPersonsSessions()
    {
        var (status, _) = await host.ExecuteAsync("dana", "/sessions @bob");
        Assert.Equal(HttpStatusCode.OK, status);
        var reply = Text(Assert.Single(await PostsAsync("dana")));
        Assert.Contains("edit_other_users", reply);
        Assert.DoesNotContain(host.World.Requests.All, r => r.Path == $"/api/v4/users/{BobId}/sessions");
    }

    [Fact]
    public async Task AMessageInTheOpsChannelIsAnsweredInItsThread()
    {
        using var hana = host.As("hana");
        var posted = await hana.PostAsJsonAsync("posts", new { channel_id = OpsChannelId, message = "sessions @bob" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var root = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await host.World.BackgroundIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var answer = (await PostsAsync("uma", OpsChannelId)).Single(p => p.GetProperty("root_id").GetString() == root);
        Assert.Contains("Sessions of `@bob`", Text(answer));
        Assert.Equal("", answer.GetProperty("type").GetString());
    }

    [Fact]
    public async Task SlowWorkArrivesThroughTheResponseUrl()
    {
        host.World.Faults.Add(new Fault($"/api/v4/users/{DanaId}/sessions/revoke/all", FaultKind.Latency) { Latency = TimeSpan.FromSeconds(3) });
        var (status, body) = await host.ExecuteAsync("dana", "/revoke all");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Working on it", body.GetProperty("text").GetString()!);
        string hookId;
        lock (host.World.Gate)
            hookId = host.World.CommandWebhooks.Values.Single().Id;

        await host.World.ResponseUrls.FirstPostToAsync(hookId).WaitAsync(TimeSpan.FromSeconds(30));

        // Dana's own playground session was one of those revoked: what was posted is read from the emulator.
        var delivered = host.World.PostsIn(TownSquareId, DanaId).Select(p => p.Message.Replace("\\", "")).ToArray();
        Assert.Contains(delivered, m => m.Contains("Working on it"));
        Assert.Contains(delivered, m => m.Contains("Revoked 5 sessions of yours"));
    }
}

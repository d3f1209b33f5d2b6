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

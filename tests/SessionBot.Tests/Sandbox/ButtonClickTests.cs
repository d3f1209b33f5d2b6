using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// <c>POST /api/v4/posts/{post_id}/actions/{action_id}</c> as the server carries out a click (mattermost.md §4, §7):
/// the integration gets the PostActionIntegrationRequest; its <c>update</c> and <c>ephemeral_text</c> are applied.
/// </summary>
public sealed class ButtonClickTests : IAsyncLifetime
{
    private EmulatorWithIntegration sandbox = null!;
    private FakeIntegration Integration => sandbox.Integration;

    public async Task InitializeAsync() => sandbox = await EmulatorWithIntegration.StartAsync();

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    /// <summary>Runs /sessions as <paramref name="username"/>, answered with one button; the post that carries it.</summary>
    private async Task<JsonElement> PostWithButtonAsync(string username, string responseType = "ephemeral", string actionId = "confirm")
    {
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new
        {
            response_type = responseType,
            text = "Sure?",
            attachments = new[] { new { actions = new[] { new { id = actionId, name = "Confirm", type = "button", style = "danger", integration = new { url = Integration.Url + "/actions", context = new { action = "revoke-all", signed = "sig" } } } } } },
        });
        await sandbox.ExecuteAsync(username, "/sessions @bob");
        await Integration.NextRequestAsync();
        return (await sandbox.PostsAsync(username)).Last();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ClickAsync(string username, string postId, string actionId)
    {
        using var client = sandbox.As(username);
        using var response = await client.PostAsJsonAsync($"posts/{postId}/actions/{actionId}", new { selected_option = "", cookie = "" });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task TheIntegrationGetsThePostActionRequestAndItsEphemeralTextIsShown()
    {
        var post = await PostWithButtonAsync("hana");
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new { ephemeral_text = "Done <https://example.com|here>", skip_slack_parsing = false });

        var (status, body) = await ClickAsync("hana", post.GetProperty("id").GetString()!, "confirm");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        var request = await Integration.NextRequestAsync();
        Assert.Equal(("POST", "/actions", "application/json"), (request.Method, request.Path, request.ContentType.Split(';')[0]));
        var click = request.Json;
        Assert.Equal(HelpdeskId, click.GetProperty("user_id").GetString());
        Assert.Equal("hana", click.GetProperty("user_name").GetString());
        Assert.Equal(TownSquareId, click.GetProperty("channel_id").GetString());
        Assert.Equal("town-square", click.GetProperty("channel_name").GetString());
        Assert.Equal(TeamId, click.GetProperty("team_id").GetString());
        Assert.Equal(TeamName, click.GetProperty("team_domain").GetString());
        Assert.Equal(post.GetProperty("id").GetString(), click.GetProperty("post_id").GetString());
        Assert.Equal("button", click.GetProperty("type").GetString());
        Assert.Equal("", click.GetProperty("data_source").GetString());
        Assert.Equal("sig", click.GetProperty("context").GetProperty("signed").GetString());
        var trigger = Encoding.UTF8.GetString(Convert.FromBase64String(click.GetProperty("trigger_id").GetString()!)).Split(':');
        Assert.Equal((trigger[0], HelpdeskId), (body.GetProperty("trigger_id").GetString(), trigger[1]));

        var answer = (await sandbox.PostsAsync("hana")).Last();
        Assert.Equal(("Done [here](https://example.com)", "system_ephemeral"), (answer.GetProperty("message").GetString(), answer.GetProperty("type").GetString()));
        Assert.Empty(await sandbox.PostsAsync("dana"));
    }

    [Fact]
    public async Task SomeoneElsesEphemeralPostCannotBeClicked()
    {
        var post = await PostWithButtonAsync("hana");
        var (status, _) = await ClickAsync("uma", post.GetProperty("id").GetString()!, "confirm");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.False(Integration.TryTakeRequest(out _));
    }

    [Fact]
    public async Task ANon200AnswerIsAnActionIntegrationError()
    {
        var post = await PostWithButtonAsync("hana");
        Integration.Respond = http =>
        {
            http.Response.StatusCode = 403;
            return Task.CompletedTask;
        };
        var (status, body) = await ClickAsync("hana", post.GetProperty("id").GetString()!, "confirm");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("api.post.do_action.action_integration.app_error", "Action integration error."), (body.GetProperty("id").GetString(), body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AnUpdateChangesAPostEveryoneSeesAndKeepsWhoPostedIt()
    {
        var post = await PostWithButtonAsync("hana", responseType: "in_channel");
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new { update = new { message = "Confirmed by hana", props = new { } } });

        Assert.Equal(HttpStatusCode.OK, (await ClickAsync("dana", post.GetProperty("id").GetString()!, "confirm")).Status);

        var updated = (await sandbox.PostsAsync("dana")).Single(p => p.GetProperty("id").GetString() == post.GetProperty("id").GetString());
        Assert.Equal("Confirmed by hana", updated.GetProperty("message").GetString());
        Assert.Equal("true", updated.GetProperty("props").GetProperty("from_webhook").GetString());
        Assert.Equal("sessionbot", updated.GetProperty("props").GetProperty("override_username").GetString());
        Assert.False(updated.GetProperty("props").TryGetProperty("attachments", out _));
    }

    [Fact]
    public async Task AnUpdateCannotChangeAnEphemeralPost()
    {
        var post = await PostWithButtonAsync("hana");
        Integration.Respond = http => http.Response.WriteAsJsonAsync(new { update = new { message = "changed" } });
        Assert.Equal(HttpStatusCode.BadRequest, (await ClickAsync("hana", post.GetProperty("id").GetString()!, "confirm")).Status);
        Assert.Equal("Sure?", (await sandbox.PostsAsync("hana")).Last().GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("no-dash")]
    [InlineData("unknown")]
    public async Task OnlyAnExistingLettersAndDigitsActionReachesTheIntegration(string actionId)
    {
        var post = await PostWithButtonAsync("hana", actionId: "no-dash");
        var (status, _) = await ClickAsync("hana", post.GetProperty("id").GetString()!, actionId);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.False(Integration.TryTakeRequest(out _));
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>
/// Button clicks as the server carries them out for its clients (DoPostActionWithCookie): the action's integration
/// gets a PostActionIntegrationRequest, and its <c>update</c> and <c>ephemeral_text</c> are applied.
/// </summary>
public static partial class EmulatorApi
{
    /// <summary>Props an update keeps from the original post (PostActionRetainPropKeys).</summary>
    private static readonly string[] RetainedProps = ["from_webhook", "override_username", "override_icon_url"];

    private static void MapActions(RouteGroupBuilder api, World world)
    {
        api.MapPost("/posts/{postId}/actions/{actionId}", (string postId, string actionId, HttpContext http) =>
            // The server's route takes letters and digits only: any other action id never reaches an integration.
            LettersAndDigits().IsMatch(postId) && LettersAndDigits().IsMatch(actionId)
                ? ClickAsync(postId, actionId, http, world)
                : Task.FromResult(Error(404, "api.context.404.app_error", "Sorry, we could not find the page.")));
    }

    private static async Task<IResult> ClickAsync(string postId, string actionId, HttpContext http, World world)
    {
        // {selected_option, cookie}: the cookie stands in for an ephemeral post the server did not keep; the sandbox
        // kept it (World.FindPost), so only selected_option is read.
        var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
        var selectedOption = body?.GetValueOrDefault("selected_option") is { ValueKind: JsonValueKind.String } option ? option.GetString()! : "";
        var clicker = Caller(http);
        Post? post;
        JsonObject? action;
        Channel? channel;
        Team? team;
        lock (world.Gate)
        {
            post = world.FindPost(postId, clicker.Id);
            if (post is null)
                return Error(404, "app.post.get.app_error", "Unable to get the post.");
            channel = world.Channels.GetValueOrDefault(post.ChannelId);
            if (channel is null || !MayReadChannel(world, clicker, channel))
                return Forbidden("read_channel_content");
            team = world.Teams.GetValueOrDefault(channel.TeamId);
            action = (post.Props["attachments"] as JsonArray)?.OfType<JsonObject>()
                .SelectMany(a => (a["actions"] as JsonArray)?.OfType<JsonObject>() ?? [])
                .FirstOrDefault(a => a["id"]?.GetValueKind() == JsonValueKind.String && a["id"]!.GetValue<string>() == actionId);
        }
        if (action?["integration"] is not JsonObject integration || integration["url"]?.GetValueKind() != JsonValueKind.String)
            return Error(404, "api.post.do_action.action_id.app_error", "Invalid action id.");

        var type = action["type"]?.GetValueKind() == JsonValueKind.String ? action["type"]!.GetValue<string>() : "";
        var context = (integration["context"] as JsonObject)?.DeepClone().AsObject();
        if (type == "select" && selectedOption.Length > 0)
            (context ??= [])["selected_option"] = selectedOption;
        var (clientTriggerId, triggerId) = world.NewTriggerId(clicker.Id);
        var upstream = new JsonObject
        {
            ["user_id"] = clicker.Id,
            ["user_name"] = clicker.Username,
            ["channel_id"] = channel.Id,
            ["channel_name"] = channel.Name,
            ["team_id"] = channel.TeamId,
            ["team_domain"] = team?.Name ?? "",
            ["post_id"] = post.Id,
            ["trigger_id"] = triggerId,
            ["type"] = type,
            ["data_source"] = action["data_source"]?.GetValueKind() == JsonValueKind.String ? action["data_source"]!.GetValue<string>() : "",
        };
        if (context is not null)
            upstream["context"] = context;

        using var request = new HttpRequestMessage(HttpMethod.Post, integration["url"]!.GetValue<string>()) { Content = JsonContent.Create(upstream) };
        request.Headers.Accept.ParseAdd("application/json");
        IntegrationAnswer answer;
        try
        {
            answer = await Integrations.SendAsync(request, world, http.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException)
        {
            return ActionIntegrationError();
        }
        if (answer.Status != System.Net.HttpStatusCode.OK)
            return ActionIntegrationError();
        JsonObject? response = null;
        if (answer.Body.Length > 0)
        {
            try
            {
                response = JsonNode.Parse(answer.Body) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                return ActionIntegrationError();
            }
        }

        lock (world.Gate)
        {
            if (response?["update"] is JsonObject update)
            {
                // An ephemeral post was never stored, so the server finds nothing to update.
                if (post.IsEphemeral)
                    return Error(400, "app.post.get.app_error", "Unable to get the post.");
                Update(world, post, update);
            }
            if (response?["ephemeral_text"]?.GetValueKind() == JsonValueKind.String && response["ephemeral_text"]!.GetValue<string>() is { Length: > 0 } text)
            {
                var skip = response["skip_slack_parsing"]?.GetValueKind() == JsonValueKind.True;
                var props = new JsonObject();
                foreach (var key in RetainedProps)
                {
                    if (post.Props[key] is { } value)
                        props[key] = value.DeepClone();
                }
                SendEphemeral(world, clicker.Id, new Post
                {
                    Id = World.NewId(),
                    ChannelId = channel.Id,
                    UserId = clicker.Id,
                    // A stored root post's answer goes in its thread; an ephemeral post's, where that post was.
                    RootId = post.IsEphemeral || post.RootId.Length > 0 ? post.RootId : post.Id,
                    Message = skip ? text : SlackMarkup.LinksToMarkdown(text),
                    CreateAt = world.Now,
                    Props = props,
                });
            }
        }
        return Results.Json(new { status = "OK", trigger_id = clientTriggerId });
    }

    /// <summary>Applies an integration's <c>update</c>: message and props, keeping the props that mark who posted it.</summary>
    private static void Update(World world, Post post, JsonObject update)
    {
        if (update["message"]?.GetValueKind() == JsonValueKind.String)
            post.Message = update["message"]!.GetValue<string>();
        if (update["props"] is JsonObject props)
        {
            var replaced = props.DeepClone().AsObject();
            foreach (var key in RetainedProps)
            {
                replaced.Remove(key);
                if (post.Props[key] is { } value)
                    replaced[key] = value.DeepClone();
            }
            if (replaced["attachments"] is JsonArray attachments)
                replaced["attachments"] = WithActionIds(attachments);
            post.Props = replaced;
        }
        post.UpdateAt = world.Now;
        world.Changed();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex LettersAndDigits();

    private static IResult ActionIntegrationError() =>
        Error(400, "api.post.do_action.action_integration.app_error", "Action integration error.");
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Posts in channels: created (firing outgoing webhooks, as the server does), and read as a client reads them.</summary>
public static partial class EmulatorApi
{
    /// <summary>Props a client may not set on its own post (Post.SanitizeInput): they mark what integrations post.</summary>
    private static readonly string[] IntegrationOnlyProps = ["from_webhook", "from_bot", "from_plugin", "override_username", "override_icon_url", "override_icon_emoji", "webhook_display_name"];

    private static void MapPosts(RouteGroupBuilder api, World world)
    {
        api.MapPost("/posts", async (HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            var caller = Caller(http);
            Post post;
            lock (world.Gate)
            {
                var channelId = body?.GetValueOrDefault("channel_id") is { ValueKind: JsonValueKind.String } c ? c.GetString()! : "";
                if (!world.Channels.TryGetValue(channelId, out var channel))
                    return InvalidParam("channel_id");
                if (!MayPostIn(world, caller, channel))
                    return Forbidden(CreatePost);
                var props = body?.GetValueOrDefault("props") is { ValueKind: JsonValueKind.Object } given ? JsonNode.Parse(given.GetRawText())!.AsObject() : [];
                foreach (var key in IntegrationOnlyProps)
                    props.Remove(key);
                if (props["attachments"] is JsonArray attachments)
                    props["attachments"] = WithActionIds(attachments);
                var rootId = body?.GetValueOrDefault("root_id") is { ValueKind: JsonValueKind.String } r ? r.GetString()! : "";
                if (rootId.Length > 0 && !world.Posts.Any(p => p.Id == rootId && p.ChannelId == channel.Id && p.RootId == ""))
                    return Error(400, "api.post.create_post.root_id.app_error", "Invalid RootId parameter.");
                post = world.AddPost(new Post
                {
                    Id = World.NewId(),
                    ChannelId = channel.Id,
                    UserId = caller.Id,
                    Message = body?.GetValueOrDefault("message") is { ValueKind: JsonValueKind.String } m ? m.GetString()! : "",
                    RootId = rootId,
                    CreateAt = world.Now,
                    UpdateAt = world.Now,
                    Props = props,
                });
            }
            FireOutgoingWebhooks(world, post);
            return Results.Json(PostJson(post), statusCode: 201);
        });

        api.MapGet("/channels/{channelId}/posts", (string channelId, HttpContext http) =>
        {
            var caller = Caller(http);
            lock (world.Gate)
            {
                if (!world.Channels.TryGetValue(channelId, out var channel))
                    return Error(404, "app.channel.get.existing.app_error", "Unable to find the existing channel.");
                if (!MayReadChannel(world, caller, channel))
                    return Forbidden("read_channel_content");
                return Results.Json(PostList(world.PostsIn(channelId, caller.Id)));
            }
        });
    }

    /// <summary>
    /// A PostList as the server sends it: <c>order</c> newest first, <c>posts</c> by id. Unlike the real server (which
    /// delivers them over the websocket), the reader's ephemeral posts are in it too, with type <c>system_ephemeral</c>.
    /// </summary>
    public static object PostList(IReadOnlyList<Post> oldestFirst) => new
    {
        order = oldestFirst.Reverse().Select(p => p.Id).ToArray(),
        posts = oldestFirst.ToDictionary(p => p.Id, PostJson),
        next_post_id = "",
        prev_post_id = "",
        has_next = false,
    };

    /// <summary>
    /// A post as clients get it, with the fields of the official API description: buttons without their integration
    /// (URL and context stay on the server).
    /// </summary>
    public static object PostJson(Post post)
    {
        var props = post.Props.DeepClone().AsObject();
        foreach (var action in (props["attachments"] as JsonArray)?.OfType<JsonObject>().SelectMany(a => (a["actions"] as JsonArray)?.OfType<JsonObject>() ?? []) ?? [])
            action.Remove("integration");
        return new
        {
            id = post.Id,
            create_at = post.CreateAt,
            update_at = post.UpdateAt,
            edit_at = post.EditAt,
            delete_at = 0L,
            user_id = post.UserId,
            channel_id = post.ChannelId,
            root_id = post.RootId,
            original_id = "",
            message = post.Message,
            type = post.Type,
            props,
            pending_post_id = "",
            metadata = new { },
        };
    }
}

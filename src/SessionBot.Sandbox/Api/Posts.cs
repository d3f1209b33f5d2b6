using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Posts in channels, and the delayed replies integrations post to a command's response_url.</summary>
public static partial class EmulatorApi
{
    private static void MapPosts(IEndpointRouteBuilder app, RouteGroupBuilder api, World world)
    {
        api.MapPost("/posts", async (HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            lock (world.Gate)
            {
                var channelId = body?.GetValueOrDefault("channel_id") is { ValueKind: JsonValueKind.String } c ? c.GetString()! : "";
                if (!world.Channels.TryGetValue(channelId, out var channel))
                    return InvalidParam("channel_id");
                var caller = Caller(http);
                if (!channel.Members.Contains(caller.Id) && !world.PermissionsOf(caller).Contains(ManageSystem))
                    return Forbidden(CreatePost);
                var post = new Post(World.NewId(), channel.Id, caller.Id, body?.GetValueOrDefault("message").ToString() ?? "", body?.GetValueOrDefault("root_id").ToString() ?? "", world.Now);
                world.Posts.Add(post);
                return Results.Json(new { id = post.Id, create_at = post.CreateAt, update_at = post.CreateAt, user_id = post.UserId, channel_id = post.ChannelId, root_id = post.RootId, message = post.Message, type = "", props = new { } }, statusCode: 201);
            }
        });

        app.MapPost("/hooks/commands/{id}", async (string id, HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            return world.ResponseUrls.TryPost(id, body)
                ? Results.Ok()
                : Error(400, "web.command_webhook.invalid.app_error", "Too many responses to this command.");
        });
    }
}

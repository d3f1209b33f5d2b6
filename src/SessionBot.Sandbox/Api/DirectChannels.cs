using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Direct-message channels: <c>POST /channels/direct</c>, as the server answers it (docs/mattermost.md §7).</summary>
public static partial class EmulatorApi
{
    private static void MapDirectChannels(RouteGroupBuilder api, World world)
    {
        // api4/channel.go createDirectChannel, then app/channel.go GetOrCreateDirectChannel; checked in the server's order.
        api.MapPost("/channels/direct", async (HttpContext http) =>
        {
            // model.ArrayFromJSON: a body that is no JSON array of strings reads as no ids.
            var ids = await ReadAsync<string[]>(http) ?? [];
            if (ids.Length != 2)
                return InvalidBody("user_ids");
            if (ids.Any(id => id is null || !IdPattern().IsMatch(id)))
                return InvalidBody("user_id");
            var caller = Caller(http);
            var permissions = world.PermissionsOf(caller);
            if (!permissions.Contains(CreateDirectChannel))
                return Forbidden(CreateDirectChannel);
            if (!ids.Contains(caller.Id) && !permissions.Contains(ManageSystem))
                return Forbidden(ManageSystem);
            // The server then asks whether the caller may see the other user (403 view_members); the emulator has no
            // view restrictions, so everyone sees everyone.
            lock (world.Gate)
            {
                if (!ids.All(world.Users.ContainsKey))
                    return Error(400, "api.channel.create_direct_channel.invalid_user.app_error", "Invalid user ID for direct channel creation.");
                // 201 whether the channel was made now or before.
                return Results.Json(ChannelJson(world, world.DirectChannel(ids[0], ids[1])), statusCode: 201);
            }
        });
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Teams and channels as a client lists them: the caller's teams, the caller's channels in a team, one channel.</summary>
public static partial class EmulatorApi
{
    private static void MapChannels(RouteGroupBuilder api, World world)
    {
        api.MapGet("/channels/{channelId}", (string channelId, HttpContext http) =>
        {
            lock (world.Gate)
            {
                return world.Channels.TryGetValue(channelId, out var channel) && MayReadChannel(world, Caller(http), channel)
                    ? Results.Json(ChannelJson(channel))
                    : Error(404, "app.channel.get.existing.app_error", "Unable to find the existing channel.");
            }
        });
        api.MapGet("/users/{userId}/teams", (string userId, HttpContext http) =>
        {
            var caller = Caller(http);
            if (userId != "me" && userId != caller.Id && !world.PermissionsOf(caller).Contains(ManageSystem))
                return Forbidden(EditOtherUsers);
            lock (world.Gate)
                return Results.Json(world.Teams.Values.Select(t => new { id = t.Id, name = t.Name, display_name = t.DisplayName, type = "O" }).ToArray());
        });
        api.MapGet("/users/{userId}/teams/{teamId}/channels", (string userId, string teamId, HttpContext http) =>
        {
            var caller = Caller(http);
            var target = userId == "me" ? caller.Id : userId;
            if (target != caller.Id && !world.PermissionsOf(caller).Contains(ManageSystem))
                return Forbidden(EditOtherUsers);
            lock (world.Gate)
            {
                return Results.Json(world.Channels.Values.Where(c => c.TeamId == teamId && c.Members.Contains(target))
                    .OrderBy(c => c.DisplayName).Select(ChannelJson).ToArray());
            }
        });
    }

    private static object ChannelJson(Channel c) => new
    {
        id = c.Id,
        team_id = c.TeamId,
        type = c.Type,
        name = c.Name,
        display_name = c.DisplayName.Length > 0 ? c.DisplayName : c.Name,
        header = "",
        purpose = "",
        delete_at = 0L,
    };
}

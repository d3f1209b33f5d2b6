using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>
/// Teams and channels as a client lists them: the caller's teams, the caller's channels in a team (with their direct
/// messages), one channel.
/// </summary>
public static partial class EmulatorApi
{
    private static void MapChannels(RouteGroupBuilder api, World world)
    {
        api.MapGet("/channels/{channelId}", (string channelId, HttpContext http) =>
        {
            lock (world.Gate)
            {
                return world.Channels.TryGetValue(channelId, out var channel) && MayReadChannel(world, Caller(http), channel)
                    ? Results.Json(ChannelJson(world, channel))
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
        // The store's GetChannels: the user's channels whose team is this one or none (TeamId = :TeamId OR TeamId = ''),
        // so direct and group messages come with every team's list; ordered by display name, which a DM has none of.
        api.MapGet("/users/{userId}/teams/{teamId}/channels", (string userId, string teamId, HttpContext http) =>
        {
            var caller = Caller(http);
            var target = userId == "me" ? caller.Id : userId;
            // SessionHasPermissionToUser (api4/channel.go getChannelsForTeamForUser): a helpdesk may list a plain user's.
            if (target != caller.Id && !(world.Users.TryGetValue(target, out var listed) ? MayActOnUser(world, caller, listed) : world.PermissionsOf(caller).Contains(ManageSystem)))
                return Forbidden(EditOtherUsers);
            lock (world.Gate)
            {
                return Results.Json(world.Channels.Values.Where(c => (c.TeamId == teamId || c.TeamId == "") && c.Members.Contains(target))
                    .OrderBy(c => c.DisplayName, StringComparer.Ordinal).Select(c => ChannelJson(world, c)).ToArray());
            }
        });
    }

    /// <summary>
    /// A channel as the server sends it: the display name as stored (none for a direct-message channel, whose clients
    /// name it after the other member), and its post count and last post time, from which clients tell what is unread.
    /// </summary>
    private static Dictionary<string, object?> ChannelJson(World world, Channel channel)
    {
        var posts = world.Posts.Where(p => p.ChannelId == channel.Id).ToArray();
        return new Dictionary<string, object?>
        {
            ["id"] = channel.Id,
            ["create_at"] = channel.CreateAt,
            ["update_at"] = channel.CreateAt,
            ["delete_at"] = 0L,
            ["team_id"] = channel.TeamId,
            ["type"] = channel.Type,
            ["display_name"] = channel.DisplayName,
            ["name"] = channel.Name,
            ["header"] = "",
            ["purpose"] = "",
            ["last_post_at"] = posts.Length == 0 ? channel.CreateAt : posts.Max(p => p.CreateAt),
            ["total_msg_count"] = posts.Length,
            ["extra_update_at"] = 0L,
            ["creator_id"] = "",
        };
    }
}

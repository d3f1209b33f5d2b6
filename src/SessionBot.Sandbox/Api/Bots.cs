using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Bot accounts and who owns them.</summary>
public static partial class EmulatorApi
{
    private static void MapBots(RouteGroupBuilder api, World world)
    {
        api.MapGet("/bots", (HttpContext http, int? page, int? per_page) =>
        {
            var caller = Caller(http);
            var all = world.PermissionsOf(caller).Contains(ReadOthersBots);
            lock (world.Gate)
            {
                var size = Math.Clamp(per_page ?? 60, 1, 200);
                return Results.Json(world.Bots.Values.Where(b => b.DeleteAt == 0 && (all || b.OwnerId == caller.Id))
                    .OrderBy(b => b.UserId).Skip((page ?? 0) * size).Take(size)
                    .Select(b => new { user_id = b.UserId, username = world.Users[b.UserId].Username, display_name = b.DisplayName, description = "", owner_id = b.OwnerId, create_at = 0L, update_at = 0L, delete_at = b.DeleteAt })
                    .ToArray());
            }
        });
    }
}

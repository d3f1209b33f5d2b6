using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Users, their roles and their active state; the server's client configuration.</summary>
public static partial class EmulatorApi
{
    private static void MapUsers(RouteGroupBuilder api, World world)
    {
        api.MapGet("/users/{id}", (string id, HttpContext http) =>
        {
            var me = Caller(http);
            if (id == "me")
                return Results.Json(UserJson(me, me, world));
            return ValidId(id) ?? WithUser(world, id, target => Results.Json(UserJson(target, me, world)));
        });
        api.MapGet("/users/username/{name}", (string name, HttpContext http) =>
        {
            lock (world.Gate)
            {
                var user = world.Users.Values.FirstOrDefault(u => u.Username == name.ToLowerInvariant());
                return user is null ? MissingUser() : Results.Json(UserJson(user, Caller(http), world));
            }
        });
        api.MapGet("/users/email/{email}", (string email, HttpContext http) =>
        {
            lock (world.Gate)
            {
                var user = world.Users.Values.FirstOrDefault(u => u.Email.Equals(email, StringComparison.OrdinalIgnoreCase));
                return user is null ? MissingUser() : Results.Json(UserJson(user, Caller(http), world));
            }
        });
        api.MapPost("/users/ids", async (HttpContext http) =>
        {
            if (await ReadAsync<string[]>(http) is not { } ids)
                return InvalidBody("user_ids");
            lock (world.Gate)
                return Results.Json(ids.Where(world.Users.ContainsKey).Distinct().Select(id => UserJson(world.Users[id], Caller(http), world)).ToArray());
        });
        api.MapPost("/users/usernames", async (HttpContext http) =>
        {
            if (await ReadAsync<string[]>(http) is not { } names)
                return InvalidBody("usernames");
            lock (world.Gate)
                return Results.Json(world.Users.Values.Where(u => names.Contains(u.Username)).Select(u => UserJson(u, Caller(http), world)).ToArray());
        });
        api.MapPost("/roles/names", async (HttpContext http) =>
        {
            if (await ReadAsync<string[]>(http) is not { Length: > 0 and <= 100 } names)
                return InvalidBody("rolenames");
            lock (world.Gate)
            {
                return Results.Json(names.Distinct().Where(world.Roles.ContainsKey).Select(n => world.Roles[n])
                    .Select(r => new { id = r.Id, name = r.Name, display_name = r.Name, description = "", permissions = r.Permissions.Order().ToArray(), scheme_managed = true, built_in = true }).ToArray());
            }
        });

        api.MapPut("/users/{id}/active", async (string id, HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            return ValidId(id) ?? WithUser(world, id, target =>
            {
                if (body?.GetValueOrDefault("active") is not { ValueKind: JsonValueKind.True or JsonValueKind.False } activeValue)
                    return InvalidBody("active");
                var active = activeValue.GetBoolean();
                var caller = Caller(http);
                var permissions = world.PermissionsOf(caller);
                var selfDeactivation = !active && caller.Id == target.Id;
                if (!selfDeactivation && !permissions.Contains(ManageUsers))
                    return Forbidden(ManageUsers);
                if (selfDeactivation && world.ClientConfig.GetValueOrDefault("EnableUserDeactivation") != "true")
                    return Error(401, "api.user.update_active.not_enable.app_error", "You appear to be unable to deactivate your account. Please contact your administrator.");
                if (target.IsSystemAdmin && !permissions.Contains(ManageSystem))
                    return Forbidden(ManageSystem);
                if (target.AuthService == "ldap")
                    return Error(403, "api.user.update_active.cannot_modify_status_when_user_is_managed_by_ldap.app_error", "You cannot modify user status. User is managed by LDAP");
                if (active)
                {
                    target.DeleteAt = 0;
                }
                else if (target.DeleteAt == 0)
                {
                    target.DeleteAt = world.Now;
                    RemoveSessions(world, s => s.UserId == target.Id);
                    foreach (var bot in world.Bots.Values.Where(b => b.OwnerId == target.Id && b.DeleteAt == 0))
                    {
                        bot.DeleteAt = world.Now;
                        world.Users[bot.UserId].DeleteAt = world.Now;
                    }
                }
                return Ok();
            });
        });

        api.MapGet("/config/client", (string? format) =>
        {
            if (format != "old")
                return Error(501, "api.config.client.old_format.app_error", "New format for the client configuration is not supported yet. Please specify format=old in the query string.");
            lock (world.Gate)
                return Results.Json(new Dictionary<string, string>(world.ClientConfig));
        });
    }

    private static Dictionary<string, object?> UserJson(User user, User reader, World world)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = user.Id,
            ["create_at"] = user.CreateAt,
            ["update_at"] = user.CreateAt,
            ["delete_at"] = user.DeleteAt,
            ["username"] = user.Username,
            ["auth_data"] = "",
            // The server blanks auth_service for readers without manage_system.
            ["auth_service"] = world.PermissionsOf(reader).Contains(ManageSystem) ? user.AuthService : "",
            ["email"] = user.Email,
            ["nickname"] = user.Nickname,
            ["first_name"] = user.FirstName,
            ["last_name"] = user.LastName,
            ["position"] = "",
            ["roles"] = user.Roles,
            ["locale"] = user.Locale,
            ["timezone"] = new Dictionary<string, string>(user.Timezone),
        };
        if (user.IsBot)
            json["is_bot"] = true;
        return json;
    }
}

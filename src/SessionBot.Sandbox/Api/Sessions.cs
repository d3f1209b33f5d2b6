using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>A user's sessions: listed, revoked one by one, all of a user's, everyone's.</summary>
public static partial class EmulatorApi
{
    private static void MapSessions(RouteGroupBuilder api, World world)
    {
        api.MapGet("/users/{id}/sessions", (string id, HttpContext http) =>
            ValidId(id) ?? WithUser(world, id, target => !MayActOnUser(world, Caller(http), target)
                ? Forbidden(EditOtherUsers)
                : Results.Json(world.Sessions.Values.Where(s => s.UserId == target.Id).Select(SessionJson).ToArray())));
        api.MapPost("/users/{id}/sessions/revoke", async (string id, HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            return ValidId(id) ?? WithUser(world, id, target =>
            {
                if (!MayActOnUser(world, Caller(http), target))
                    return Forbidden(EditOtherUsers);
                if (body?.GetValueOrDefault("session_id") is not { ValueKind: JsonValueKind.String } sessionId || sessionId.GetString() is not { Length: > 0 } sid)
                    return InvalidBody("session_id");
                if (!world.Sessions.TryGetValue(sid, out var session))
                    return Error(400, "app.session.get.app_error", "We encountered an error finding the session.");
                if (session.UserId != target.Id)
                    return InvalidParam("user_id");
                world.RemoveSession(session);
                return Ok();
            });
        });
        api.MapPost("/users/{id}/sessions/revoke/all", (string id, HttpContext http) =>
            ValidId(id) ?? WithUser(world, id, target =>
            {
                if (!MayActOnUser(world, Caller(http), target))
                    return Forbidden(EditOtherUsers);
                RemoveSessions(world, s => s.UserId == target.Id);
                return Ok();
            }));
        api.MapPost("/users/sessions/revoke/all", (HttpContext http) =>
        {
            if (!world.PermissionsOf(Caller(http)).Contains(ManageSystem))
                return Forbidden(ManageSystem);
            RemoveSessions(world, _ => true);
            return Ok();
        });
    }

    private static void RemoveSessions(World world, Func<Session, bool> which)
    {
        lock (world.Gate)
        {
            foreach (var session in world.Sessions.Values.Where(which).ToArray())
                world.RemoveSession(session);
        }
    }

    /// <summary>As the API returns it: <c>token</c> blanked, <c>props.csrf</c> not (the real server does not strip it).</summary>
    private static object SessionJson(Session s) => new
    {
        id = s.Id,
        token = "",
        create_at = s.CreateAt,
        expires_at = s.ExpiresAt,
        last_activity_at = s.LastActivityAt,
        user_id = s.UserId,
        device_id = s.DeviceId,
        roles = s.Roles,
        is_oauth = s.IsOAuth,
        expired_notify = false,
        props = s.Props,
        team_members = Array.Empty<object>(),
        local = false,
    };
}

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Personal access tokens: read and revoked.</summary>
public static partial class EmulatorApi
{
    private static void MapTokens(RouteGroupBuilder api, World world)
    {
        api.MapGet("/users/tokens/{tokenId}", (string tokenId, HttpContext http) =>
        {
            lock (world.Gate)
            {
                if (ValidId(tokenId) is { } invalid)
                    return invalid;
                if (!world.AccessTokens.TryGetValue(tokenId, out var token))
                    return Error(404, "app.user_access_token.get_by_user.app_error", "Unable to get user access tokens.");
                return MayUseToken(world, Caller(http), token, ReadUserAccessToken) ?? Results.Json(TokenJson(token));
            }
        });
        api.MapGet("/users/{id}/tokens", (string id, HttpContext http) =>
            ValidId(id) ?? WithUser(world, id, target =>
                !world.PermissionsOf(Caller(http)).Contains(ReadUserAccessToken) ? Forbidden(ReadUserAccessToken)
                : !MayActOnUser(world, Caller(http), target) ? Forbidden(EditOtherUsers)
                : Results.Json(world.AccessTokens.Values.Where(t => t.UserId == target.Id).Select(TokenJson).ToArray())));
        api.MapPost("/users/tokens/revoke", async (HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            lock (world.Gate)
            {
                if (body?.GetValueOrDefault("token_id") is not { ValueKind: JsonValueKind.String } idValue || idValue.GetString() is not { Length: > 0 } tokenId)
                    return InvalidBody("token_id");
                if (!world.AccessTokens.TryGetValue(tokenId, out var token))
                    return Error(404, "app.user_access_token.get_by_user.app_error", "Unable to get user access tokens.");
                if (MayUseToken(world, Caller(http), token, RevokeUserAccessToken) is { } refused)
                    return refused;
                world.AccessTokens.Remove(tokenId);
                RemoveSessions(world, s => s.Props.GetValueOrDefault("user_access_token_id") == tokenId);
                return Ok();
            }
        });
    }

    private static object TokenJson(AccessToken t) => new { id = t.Id, user_id = t.UserId, description = t.Description, is_active = t.IsActive };
}

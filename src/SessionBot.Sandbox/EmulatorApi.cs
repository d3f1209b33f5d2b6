using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>
/// The Mattermost REST API as the bot uses it, and as Mattermost's own clients use it (running commands, clicking
/// buttons, posting and reading posts), applying the server's own rules to the bearer token's user and answering with
/// the server's bodies and error ids (docs/mattermost.md §6, §7). One file per resource under <c>Api/</c> (what the
/// server does with integrations in <c>CommandExecution.cs</c>, <c>Actions.cs</c> and <c>OutgoingWebhooks.cs</c>), the
/// server's permission rules in <c>ServerRules.cs</c>, authentication, faults and logging each request (to
/// <see cref="RequestLog"/>) in <c>EmulatorMiddleware.cs</c>; this file maps them and holds the answers they share.
/// </summary>
public static partial class EmulatorApi
{
    public const string ManageSystem = "manage_system";
    public const string EditOtherUsers = "edit_other_users";
    public const string ManageUsers = "sysconsole_write_user_management_users";
    public const string RevokeUserAccessToken = "revoke_user_access_token";
    public const string ReadUserAccessToken = "read_user_access_token";
    public const string ManageBots = "manage_bots";
    public const string ManageOthersBots = "manage_others_bots";
    public const string ReadOthersBots = "read_others_bots";
    public const string ManageSlashCommands = "manage_own_slash_commands";
    public const string CreatePost = "create_post";
    public const string CreateDirectChannel = "create_direct_channel";

    private static readonly string[] BuiltInTriggers = ["away", "code", "collapse", "dnd", "echo", "expand", "groupmsg", "header", "help", "invite", "join", "kick", "leave", "logout", "me", "msg", "mute", "offline", "online", "open", "purpose", "remove", "rename", "search", "settings", "shortcuts", "shrug", "status"];

    [GeneratedRegex("^[a-z0-9]{26}$")]
    private static partial Regex IdPattern();

    public static void MapEmulator(this IEndpointRouteBuilder app, World world)
    {
        var api = app.MapGroup("/api/v4");
        MapUsers(api, world);
        MapSessions(api, world);
        MapTokens(api, world);
        MapBots(api, world);
        MapPosts(api, world);
        MapChannels(api, world);
        MapActions(api, world);
        MapDirectChannels(api, world);
        MapRegistration(api, world);
        MapCommandExecution(app, api, world);
    }

    private static User Caller(HttpContext http) => (User)http.Items[typeof(User)]!;

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static IResult? ValidId(string id) => IdPattern().IsMatch(id) ? null : InvalidParam("user_id");

    private static IResult WithUser(World world, string id, Func<User, IResult> then)
    {
        lock (world.Gate)
            return world.Users.TryGetValue(id, out var user) ? then(user) : MissingUser();
    }

    private static async Task<T?> ReadAsync<T>(HttpContext http)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public static IResult Error(int status, string id, string message) =>
        Results.Json(new { id, message, detailed_error = "", request_id = World.NewId(), status_code = status }, statusCode: status);

    private static IResult Ok() => Results.Json(new { status = "OK" });
    private static IResult MissingUser() => Error(404, "app.user.missing_account.const", "Unable to find the user.");
    private static IResult Forbidden(string permission) => Error(403, "api.context.permissions.app_error", $"You do not have the appropriate permissions. ({permission})");
    private static IResult InvalidParam(string name) => Error(400, "api.context.invalid_url_param.app_error", $"Invalid or missing {name} parameter in request URL.");
    private static IResult InvalidBody(string name) => Error(400, "api.context.invalid_body_param.app_error", $"Invalid or missing {name} in request body.");
}

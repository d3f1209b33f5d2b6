using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>
/// The Mattermost REST API as the bot uses it, applying the server's own rules to the bearer token's user and
/// answering with the server's bodies and error ids (mattermost.md §5–6).
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

    private static readonly string[] BuiltInTriggers = ["away", "code", "collapse", "dnd", "echo", "expand", "groupmsg", "header", "help", "invite", "join", "kick", "leave", "logout", "me", "msg", "mute", "offline", "online", "open", "purpose", "remove", "rename", "search", "settings", "shortcuts", "shrug", "status"];

    [GeneratedRegex("^[a-z0-9]{26}$")]
    private static partial Regex IdPattern();

    /// <summary>Latency, faults, authentication and the request log, in front of every call.</summary>
    public static void UseEmulator(this WebApplication app, World world)
    {
        app.Use(async (http, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var path = http.Request.Path.Value ?? "";
            http.Request.EnableBuffering();
            var body = await new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync(http.RequestAborted);
            http.Request.Body.Position = 0;
            string? userId = null;
            try
            {
                if (world.Latency > TimeSpan.Zero)
                    await Task.Delay(world.Latency, world.Time, http.RequestAborted);
                if (path.StartsWith("/api/v4/", StringComparison.Ordinal))
                {
                    var fault = world.Faults.Take(http.Request.Method, path);
                    if (fault is { Kind: FaultKind.Latency })
                        await Task.Delay(fault.Latency, world.Time, http.RequestAborted);
                    var user = world.Authenticate(Bearer(http.Request));
                    userId = user?.Id;
                    if (fault is { Kind: not FaultKind.Latency, AfterEffect: false })
                    {
                        await ApplyAsync(fault, http);
                        return;
                    }
                    if (user is null)
                    {
                        await Error(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.").ExecuteAsync(http);
                        return;
                    }
                    http.Items[typeof(User)] = user;
                    if (fault is { AfterEffect: true })
                    {
                        // The change happens, the answer is lost: the case where the bot cannot know what happened.
                        var realBody = http.Features.Get<IHttpResponseBodyFeature>()!;
                        http.Response.Body = Stream.Null;
                        await next(http);
                        http.Features.Set(realBody);
                        http.Response.Clear();
                        await ApplyAsync(fault, http);
                        return;
                    }
                }
                await next(http);
            }
            finally
            {
                world.Log(new LoggedRequest(http.Request.Method, path, body, userId, http.Response.StatusCode, started, System.Diagnostics.Stopwatch.GetTimestamp()));
            }
        });
    }

    private static async Task ApplyAsync(Fault fault, HttpContext http)
    {
        switch (fault.Kind)
        {
            case FaultKind.ServerError:
                await Error(500, "app.sandbox.injected_fault.app_error", "An internal error occurred (injected).").ExecuteAsync(http);
                break;
            case FaultKind.RateLimited:
                http.Response.StatusCode = 429;
                http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString();
                http.Response.Headers["X-Ratelimit-Reset"] = fault.RetryAfterSeconds.ToString();
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("limit exceeded\n");
                break;
            case FaultKind.DropConnection:
                http.Abort();
                break;
        }
    }

    public static void MapEmulator(this IEndpointRouteBuilder app, World world)
    {
        var api = app.MapGroup("/api/v4");

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
        api.MapGet("/config/client", (string? format) =>
        {
            if (format != "old")
                return Error(501, "api.config.client.old_format.app_error", "New format for the client configuration is not supported yet. Please specify format=old in the query string.");
            lock (world.Gate)
                return Results.Json(new Dictionary<string, string>(world.ClientConfig));
        });
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

        MapRegistration(api, world);

        app.MapPost("/hooks/commands/{id}", async (string id, HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            return world.ResponseUrls.TryPost(id, body)
                ? Results.Ok()
                : Error(400, "web.command_webhook.invalid.app_error", "Too many responses to this command.");
        });
    }

    private static void MapRegistration(RouteGroupBuilder api, World world)
    {
        api.MapGet("/teams/name/{name}", (string name) =>
        {
            lock (world.Gate)
            {
                var team = world.Teams.Values.FirstOrDefault(t => t.Name == name);
                return team is null
                    ? Error(404, "app.team.get_by_name.missing.app_error", "Unable to find the existing team.")
                    : Results.Json(new { id = team.Id, name = team.Name, display_name = team.DisplayName });
            }
        });
        api.MapGet("/commands", (HttpContext http, string? team_id, bool? custom_only) =>
        {
            if (!world.PermissionsOf(Caller(http)).Contains(ManageSlashCommands))
                return Forbidden(ManageSlashCommands);
            lock (world.Gate)
                return Results.Json(world.Commands.Values.Where(c => c.TeamId == team_id && c.DeleteAt == 0).Select(CommandJson).ToArray());
        });
        api.MapPost("/commands", async (HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            var caller = Caller(http);
            lock (world.Gate)
            {
                if (body is null)
                    return InvalidBody("command");
                var command = new SlashCommand { Id = World.NewId(), TeamId = Text(body, "team_id"), Trigger = Text(body, "trigger"), Token = World.NewId(), CreatorId = caller.Id, CreateAt = world.Now, UpdateAt = world.Now };
                Fill(command, body);
                if (!world.Teams.ContainsKey(command.TeamId))
                    return Error(404, "app.team.get.find.app_error", "Unable to find the existing team.");
                if (!world.PermissionsOf(caller).Contains(ManageSlashCommands))
                    return Forbidden(ManageSlashCommands);
                if (InvalidCommand(command) is { } invalid)
                    return invalid;
                if (BuiltInTriggers.Contains(command.Trigger) || world.Commands.Values.Any(c => c.TeamId == command.TeamId && c.Trigger == command.Trigger && c.DeleteAt == 0))
                    return Error(400, "api.command.duplicate_trigger.app_error", "This trigger word is already in use. Please choose another word.");
                world.Commands[command.Id] = command;
                return Results.Json(CommandJson(command), statusCode: 201);
            }
        });
        api.MapPut("/commands/{id}", async (string id, HttpContext http) =>
        {
            var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
            lock (world.Gate)
            {
                if (!world.Commands.TryGetValue(id, out var command) || command.DeleteAt != 0)
                    return Error(404, "app.command.getcommand.app_error", "Unable to get the command.");
                if (!world.PermissionsOf(Caller(http)).Contains(ManageSlashCommands))
                    return Forbidden(ManageSlashCommands);
                if (body is null || Text(body, "id") != id)
                    return InvalidParam("command_id");
                var trigger = Text(body, "trigger");
                if (world.Commands.Values.Any(c => c.Id != id && c.TeamId == command.TeamId && c.Trigger == trigger && c.DeleteAt == 0))
                    return Error(400, "api.command.duplicate_trigger.app_error", "This trigger word is already in use. Please choose another word.");
                command.Trigger = trigger;
                Fill(command, body);
                command.UpdateAt = world.Now;
                return InvalidCommand(command) ?? Results.Json(CommandJson(command));
            }
        });
        api.MapPut("/commands/{id}/regen_token", (string id, HttpContext http) =>
        {
            lock (world.Gate)
            {
                if (!world.Commands.TryGetValue(id, out var command))
                    return Error(404, "app.command.getcommand.app_error", "Unable to get the command.");
                if (!world.PermissionsOf(Caller(http)).Contains(ManageSlashCommands))
                    return Forbidden(ManageSlashCommands);
                command.Token = World.NewId();
                return Results.Json(new { token = command.Token });
            }
        });
    }

    private static void Fill(SlashCommand command, Dictionary<string, JsonElement> body)
    {
        command.Method = Text(body, "method");
        command.Url = Text(body, "url");
        command.DisplayName = Text(body, "display_name");
        command.Description = Text(body, "description");
        command.AutoComplete = body.GetValueOrDefault("auto_complete").ValueKind == JsonValueKind.True;
        command.AutoCompleteDesc = Text(body, "auto_complete_desc");
        command.AutoCompleteHint = Text(body, "auto_complete_hint");
        command.Username = Text(body, "username");
        command.IconUrl = Text(body, "icon_url");
    }

    private static IResult? InvalidCommand(SlashCommand command) =>
        command.Trigger.Length is 0 or > 128 || command.Trigger.StartsWith('/') || command.Trigger.Contains(' ') || command.Trigger != command.Trigger.ToLowerInvariant()
            ? Error(400, "model.command.is_valid.trigger.app_error", "Invalid trigger.")
            : command.Method is not ("P" or "G") ? Error(400, "model.command.is_valid.method.app_error", "Invalid method.")
            : !Uri.TryCreate(command.Url, UriKind.Absolute, out _) ? Error(400, "model.command.is_valid.url.app_error", "Invalid URL.")
            : null;

    private static object CommandJson(SlashCommand c) => new
    {
        id = c.Id,
        token = c.Token,
        create_at = c.CreateAt,
        update_at = c.UpdateAt,
        delete_at = c.DeleteAt,
        creator_id = c.CreatorId,
        team_id = c.TeamId,
        trigger = c.Trigger,
        method = c.Method,
        username = c.Username,
        icon_url = c.IconUrl,
        auto_complete = c.AutoComplete,
        auto_complete_desc = c.AutoCompleteDesc,
        auto_complete_hint = c.AutoCompleteHint,
        display_name = c.DisplayName,
        description = c.Description,
        url = c.Url,
    };

    private static string Text(Dictionary<string, JsonElement> body, string key) =>
        body.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    // ---- the server's permission rules

    /// <summary>SessionHasPermissionToUser: self; manage_system; edit_other_users when the target is not a system admin.</summary>
    public static bool MayActOnUser(World world, User caller, User target)
    {
        if (caller.Id == target.Id)
            return true;
        var permissions = world.PermissionsOf(caller);
        return permissions.Contains(ManageSystem) || (permissions.Contains(EditOtherUsers) && !target.IsSystemAdmin);
    }

    private static IResult? MayUseToken(World world, User caller, AccessToken token, string permission)
    {
        var permissions = world.PermissionsOf(caller);
        if (!permissions.Contains(permission))
            return Forbidden(permission);
        if (!world.Users.TryGetValue(token.UserId, out var owner))
            return MissingUser();
        if (owner.IsBot && world.Bots.TryGetValue(owner.Id, out var bot) && caller.Id != owner.Id)
        {
            var needed = bot.OwnerId == caller.Id ? ManageBots : ManageOthersBots;
            return permissions.Contains(needed) ? null : Forbidden(needed);
        }
        return MayActOnUser(world, caller, owner) ? null : Forbidden(EditOtherUsers);
    }

    // ---- helpers

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

    private static void RemoveSessions(World world, Func<Session, bool> which)
    {
        lock (world.Gate)
        {
            foreach (var session in world.Sessions.Values.Where(which).ToArray())
                world.RemoveSession(session);
        }
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
            ["locale"] = "en",
            ["timezone"] = new Dictionary<string, string> { ["automaticTimezone"] = "", ["manualTimezone"] = "", ["useAutomaticTimezone"] = "true" },
        };
        if (user.IsBot)
            json["is_bot"] = true;
        return json;
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

    private static object TokenJson(AccessToken t) => new { id = t.Id, user_id = t.UserId, description = t.Description, is_active = t.IsActive };
}

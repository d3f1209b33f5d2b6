using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Who ran a command, where: the server's CommandArgs as the reply is applied with them.</summary>
public sealed record CommandArgs(string UserId, string ChannelId, string TeamId, string RootId);

/// <summary>
/// Slash commands as the server runs them for its own clients: <c>POST /commands/execute</c> sends the integration
/// the request of mattermost.md §1 (DoCommandRequest) and applies its reply (HandleCommandResponse); the command's
/// <c>response_url</c> applies later replies the same way; the autocomplete list comes from the registered commands.
/// </summary>
public static partial class EmulatorApi
{
    private const int MaxTriggerLength = 512;

    private static void MapCommandExecution(IEndpointRouteBuilder app, RouteGroupBuilder api, World world)
    {
        // Two parameters, so the lambda is a route handler (its IResult is written), not a RequestDelegate.
        api.MapPost("/commands/execute", (HttpContext http, CancellationToken _) => ExecuteCommandAsync(http, world));

        api.MapGet("/teams/{teamId}/commands/autocomplete", (string teamId, HttpContext http) =>
        {
            lock (world.Gate)
            {
                if (!world.Teams.ContainsKey(teamId))
                    return Error(404, "app.team.get.find.app_error", "Unable to find the existing team.");
                // The list every team member sees: tokens blanked (Command.Sanitize).
                return Results.Json(world.Commands.Values.Where(c => c.TeamId == teamId && c.DeleteAt == 0 && c.AutoComplete)
                    .OrderBy(c => c.Trigger).Select(c => CommandJson(c, token: "")).ToArray());
            }
        });

        app.MapPost("/hooks/commands/{id}", async (string id, HttpContext http) =>
        {
            var body = await ReadBodyAsync(http);
            CommandWebhook? hook;
            SlashCommand? command;
            lock (world.Gate)
            {
                hook = world.CommandWebhooks.GetValueOrDefault(id);
                command = hook is null ? null : world.Commands.GetValueOrDefault(hook.CommandId);
            }
            if (hook is not null && world.Now - hook.CreateAt > CommandWebhook.Lifetime.TotalMilliseconds)
                return Error(404, "app.command_webhook.get.missing", "Unable to get the webhook.");
            var reply = CommandReply.From(http.Request.ContentType, body);
            if (reply is null)
                return Error(400, "app.command_webhook.handle_command_webhook.parse", "Unable to parse incoming data.");
            if (!world.ResponseUrls.TryPost(id, System.Text.Encoding.UTF8.GetString(body)))
                return Error(400, "web.command_webhook.invalid.app_error", "Too many responses to this command.");
            // An id the emulator did not hand out is only recorded: tests post to response URLs of their own making.
            if (hook is null || command is null)
                return Results.Ok();
            lock (world.Gate)
            {
                var teamId = world.Channels.TryGetValue(hook.ChannelId, out var channel) ? channel.TeamId : command.TeamId;
                return ApplyCommandReply(world, command, new CommandArgs(hook.UserId, hook.ChannelId, teamId, hook.RootId), reply, "/" + command.Trigger) ?? Results.Ok();
            }
        });
    }

    private static async Task<IResult> ExecuteCommandAsync(HttpContext http, World world)
    {
        var body = await ReadAsync<Dictionary<string, JsonElement>>(http);
        if (body is null)
            return InvalidBody("command_args");
        var caller = Caller(http);
        var typed = Text(body, "command");
        var channelId = Text(body, "channel_id");
        var rootId = Text(body, "root_id");
        if (typed.Length <= 1 || !typed.StartsWith('/') || !IdPattern().IsMatch(channelId))
            return Error(400, "api.command.execute_command.start.app_error", "No command trigger found.");

        var split = typed.AsSpan().IndexOfAny(WhiteSpace);
        var trigger = (split < 0 ? typed : typed[..split]).ToLowerInvariant()[1..];
        var message = split < 0 ? "" : typed[(split + 1)..];
        Channel channel;
        Team team;
        SlashCommand? command;
        lock (world.Gate)
        {
            if (!world.Channels.TryGetValue(channelId, out channel!) || !MayPostIn(world, caller, channel))
                return Forbidden(CreatePost);
            // Outside direct messages the team is the channel's; a direct-message channel has none, so the command runs
            // on the team the client names (everyone is on every team of the emulator).
            if (!world.Teams.TryGetValue(channel.Type == "D" ? Text(body, "team_id") : channel.TeamId, out team!))
                return Forbidden(CreatePost);
            command = world.Commands.Values.FirstOrDefault(c => c.TeamId == team.Id && c.Trigger == trigger && c.DeleteAt == 0);
        }
        if (command is null)
        {
            var shown = trigger.Length > MaxTriggerLength ? trigger[..MaxTriggerLength] + "..." : trigger;
            return Error(404, "api.command.execute_command.not_found.app_error",
                $"Command with a trigger of '{shown}' not found. To send a message beginning with \"/\", try adding an empty space at the beginning of the message.");
        }

        var (clientTriggerId, triggerId) = world.NewTriggerId(caller.Id);
        var hook = world.NewCommandWebhook(command.Id, caller.Id, channel.Id, rootId);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("token", command.Token),
            new("team_id", command.TeamId),
            new("team_domain", team.Name),
            new("channel_id", channel.Id),
            new("channel_name", channel.Name),
            new("user_id", caller.Id),
            new("user_name", caller.Username),
            new("command", "/" + trigger),
            new("text", message),
            new("trigger_id", triggerId),
            new("root_id", rootId),
            new("response_url", $"{SiteUrl(world, http)}/hooks/commands/{hook.Id}"),
        };
        fields.AddRange(world.MentionsIn(message));
        fields.AddRange(world.ChannelMentionsIn(message, team.Id));
        // url.Values.Encode: keys sorted, a key's values in their order.
        var form = fields.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();

        IntegrationAnswer answer;
        try
        {
            using var request = await CommandRequestAsync(command, form);
            answer = await Integrations.SendAsync(request, world, http.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException)
        {
            return CommandFailed(command.Trigger);
        }
        if (answer.Status != System.Net.HttpStatusCode.OK)
            return Error(500, "api.command.execute_command.failed_resp.app_error", $"Command with a trigger of '{command.Trigger}' returned response {answer.StatusLine}.");
        var reply = CommandReply.From(answer.ContentType, answer.Body);
        if (reply is null)
            return CommandFailed(command.Trigger);
        reply.TriggerId = clientTriggerId;
        lock (world.Gate)
        {
            return ApplyCommandReply(world, command, new CommandArgs(caller.Id, channel.Id, team.Id, rootId), reply, typed)
                ?? Results.Json(reply, CommandReply.Json);
        }
    }

    private static readonly char[] WhiteSpace = [' ', '\t', '\n', '\r', '\v', '\f', '\u0085', '\u00A0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000'];

    /// <summary>DoCommandRequest: the form as a POST body, or as the query string of a GET (method G).</summary>
    private static async Task<HttpRequestMessage> CommandRequestAsync(SlashCommand command, List<KeyValuePair<string, string>> form)
    {
        HttpRequestMessage request;
        if (command.Method == "G")
        {
            var query = await new FormUrlEncodedContent(form).ReadAsStringAsync();
            var url = command.Url + (command.Url.Contains('?') ? "&" : "?") + query;
            request = new HttpRequestMessage(HttpMethod.Get, url);
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, command.Url) { Content = new FormUrlEncodedContent(form) };
        }
        request.Headers.Accept.ParseAdd("application/json");
        if (command.Token.Length > 0)
            request.Headers.TryAddWithoutValidation("Authorization", "Token " + command.Token);
        return request;
    }

    private static IResult CommandFailed(string trigger) =>
        Error(500, "api.command.execute_command.failed.app_error", $"Command with a trigger of '{trigger}' failed.");

    /// <summary>
    /// HandleCommandResponse: the reply and each of its <c>extra_responses</c> become a post (in the channel) or an
    /// ephemeral post (for the caller); null when all were posted. Call with <see cref="World.Gate"/> held.
    /// </summary>
    private static IResult? ApplyCommandReply(World world, SlashCommand command, CommandArgs args, CommandReply reply, string typed)
    {
        var failed = false;
        foreach (var one in new[] { reply }.Concat(reply.ExtraResponses ?? []))
            failed |= !PostCommandReply(world, command, args, one);
        var trigger = typed.Split(' ')[0].TrimStart('/').ToLowerInvariant();
        return failed
            ? Error(500, "api.command.execute_command.create_post_failed.app_error", $"Command '{trigger}' failed to post response. Please contact your System Administrator.")
            : null;
    }

    /// <summary>HandleCommandResponsePost and CreateCommandPost for one reply; false when it could not be posted.</summary>
    private static bool PostCommandReply(World world, SlashCommand command, CommandArgs args, CommandReply reply)
    {
        var channelId = args.ChannelId;
        if (reply.ChannelId.Length > 0)
        {
            // The reply may move to another channel only if the caller is a member there.
            if (!world.Channels.TryGetValue(reply.ChannelId, out var target) || !target.Members.Contains(args.UserId))
                return false;
            channelId = reply.ChannelId;
        }
        var props = reply.Props?.DeepClone().AsObject() ?? [];
        var settings = world.Settings;
        if (settings.EnablePostUsernameOverride && (command.Username.Length > 0 ? command.Username : reply.Username) is { Length: > 0 } username)
            props["override_username"] = username;
        if (settings.EnablePostIconOverride && (command.IconUrl.Length > 0 ? command.IconUrl : reply.IconUrl) is { Length: > 0 } icon)
            props["override_icon_url"] = icon;
        // A custom command's reply is flagged as coming from an integration, not typed by the caller.
        props["from_webhook"] = "true";

        var text = reply.Text;
        var attachments = reply.Attachments?.DeepClone().AsArray();
        if (!reply.SkipSlackParsing)
        {
            // The server rewrites the reply itself (the client is answered with it), then the post's links.
            reply.Text = SlackMarkup.Process(reply.Text, world);
            text = SlackMarkup.LinksToMarkdown(reply.Text);
            SlackMarkup.ProcessAttachments(attachments, world);
        }
        if (reply.Type.StartsWith("system_", StringComparison.Ordinal))
            return false;
        if (attachments is not null)
            props["attachments"] = WithActionIds(attachments);

        var post = new Post
        {
            Id = World.NewId(),
            ChannelId = channelId,
            UserId = args.UserId,
            RootId = args.RootId,
            Message = text,
            Type = reply.Type,
            CreateAt = world.Now,
            UpdateAt = world.Now,
            Props = props,
        };
        if (reply.ResponseType == CommandReply.InChannel)
        {
            world.AddPost(post);
            FireOutgoingWebhooks(world, post);
        }
        else if (reply.ResponseType is "" or CommandReply.Ephemeral && (text.Length > 0 || attachments is not null))
        {
            SendEphemeral(world, args.UserId, post);
        }
        return true;
    }

    /// <summary>SendEphemeralPost: only <paramref name="userId"/> sees it.</summary>
    private static void SendEphemeral(World world, string userId, Post post) =>
        world.AddPost(new Post
        {
            Id = post.Id,
            ChannelId = post.ChannelId,
            UserId = post.UserId,
            RootId = post.RootId,
            Message = post.Message,
            Type = "system_ephemeral",
            CreateAt = post.CreateAt,
            UpdateAt = post.CreateAt,
            Props = post.Props,
            VisibleTo = userId,
        });

    /// <summary>GenerateActionIds: an action without an id gets one, so its click can name it.</summary>
    private static JsonArray WithActionIds(JsonArray attachments)
    {
        foreach (var action in attachments.OfType<JsonObject>().SelectMany(a => (a["actions"] as JsonArray)?.OfType<JsonObject>() ?? []))
        {
            if (action["id"] is not JsonValue id || !id.TryGetValue<string>(out var value) || value.Length == 0)
                action["id"] = World.NewId();
        }
        return attachments;
    }

    private static string SiteUrl(World world, HttpContext http) =>
        world.Settings.SiteUrl is { Length: > 0 } site ? site.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}";

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }
}

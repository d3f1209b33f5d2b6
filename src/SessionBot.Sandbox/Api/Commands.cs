using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionBot.Sandbox;

/// <summary>Teams and their slash commands, as registration uses them.</summary>
public static partial class EmulatorApi
{
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

    private static object CommandJson(SlashCommand c) => CommandJson(c, c.Token);

    private static object CommandJson(SlashCommand c, string token) => new
    {
        id = c.Id,
        token,
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
}

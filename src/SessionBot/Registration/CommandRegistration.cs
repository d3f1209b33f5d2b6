using System.Text.Json;
using System.Text.Json.Serialization;
using SessionBot.Mattermost;

namespace SessionBot.Registration;

/// <summary>One slash command as <c>manifest/commands.json</c> defines it.</summary>
public sealed record ManifestCommand(
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("auto_complete")] bool AutoComplete,
    [property: JsonPropertyName("auto_complete_hint")] string AutoCompleteHint,
    [property: JsonPropertyName("auto_complete_desc")] string AutoCompleteDesc,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("username")] string Username);

public sealed record Manifest([property: JsonPropertyName("commands")] IReadOnlyList<ManifestCommand> Commands)
{
    /// <summary>The manifest shipped beside the app (copied from <c>manifest/commands.json</c> at build).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "manifest", "commands.json");

    public static Manifest Load(string path) =>
        JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path))
        ?? throw new RegistrationException($"The manifest {path} is empty.");
}

public enum RegistrationChange { Created, Updated, Unchanged }

public sealed record RegisteredCommand(string Trigger, RegistrationChange Change, string Token);

/// <summary>A registration that cannot go on, with a message for the operator.</summary>
public sealed class RegistrationException(string message) : Exception(message);

/// <summary>
/// Creates or updates the manifest's slash commands on a team, pointing at the bot. Idempotent: a command that is
/// already as wanted is left alone, and a trigger that another integration owns is never taken over.
/// </summary>
public sealed class CommandRegistration(IMattermostClient mattermost)
{
    public async Task<IReadOnlyList<RegisteredCommand>> RegisterAsync(string teamName, Uri botUrl, Manifest manifest, CancellationToken ct)
    {
        var commandUrl = new Uri(botUrl, "/mattermost/commands").ToString();
        var team = await Ask(() => mattermost.GetTeamByNameAsync(teamName, ct), $"team '{teamName}'");
        var botId = (await Ask(() => mattermost.GetUserAsync("me", ct), "the bot account")).Id;
        var existing = await Ask(() => mattermost.GetCommandsAsync(team.Id, ct), $"the slash commands of team '{teamName}'");

        var results = new List<RegisteredCommand>();
        foreach (var entry in manifest.Commands)
        {
            var wanted = new SlashCommand
            {
                TeamId = team.Id,
                Trigger = entry.Trigger,
                Method = entry.Method,
                Url = commandUrl,
                DisplayName = entry.DisplayName,
                Description = entry.Description,
                AutoComplete = entry.AutoComplete,
                AutoCompleteDesc = entry.AutoCompleteDesc,
                AutoCompleteHint = entry.AutoCompleteHint,
                Username = entry.Username,
            };
            var current = existing.FirstOrDefault(c => c.Trigger == entry.Trigger);
            if (current is null)
            {
                var created = await Ask(() => mattermost.CreateCommandAsync(wanted, ct), $"/{entry.Trigger}");
                results.Add(new RegisteredCommand(entry.Trigger, RegistrationChange.Created, created.Token ?? ""));
                continue;
            }
            if (current.CreatorId != botId && current.Url != commandUrl)
            {
                throw new RegistrationException(
                    $"The trigger /{entry.Trigger} on team '{teamName}' is already used by another integration (it calls {current.Url}). " +
                    "Nothing was taken over: remove or rename that command in Integrations › Slash Commands, then run register again.");
            }
            var update = wanted with { Id = current.Id, Token = current.Token, CreatorId = current.CreatorId, IconUrl = current.IconUrl };
            if (update == current)
            {
                results.Add(new RegisteredCommand(entry.Trigger, RegistrationChange.Unchanged, current.Token ?? ""));
                continue;
            }
            var updated = await Ask(() => mattermost.UpdateCommandAsync(update, ct), $"/{entry.Trigger}");
            results.Add(new RegisteredCommand(entry.Trigger, RegistrationChange.Updated, updated.Token ?? ""));
        }
        return results;
    }

    /// <summary>The configuration lines (environment-variable form) that give the bot each command's token.</summary>
    public static string ConfigurationLines(IEnumerable<RegisteredCommand> commands) =>
        string.Concat(commands.Select(c => $"Mattermost__CommandTokens__{c.Trigger}={c.Token}\n"));

    private static async Task<T> Ask<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (MattermostException e)
        {
            throw new RegistrationException(e switch
            {
                { StatusCode: 404 } when what.StartsWith("team", StringComparison.Ordinal) => $"There is no {what}: give the team's name as in its URL (https://chat.example.com/<team>).",
                { StatusCode: 401 } => "Mattermost does not accept the bot token (Mattermost:BotToken).",
                { StatusCode: 403 } => $"The bot account may not manage {what}: it needs the system admin role (or manage_own_slash_commands on the team).",
                { ErrorId: "api.command.duplicate_trigger.app_error" } => $"Mattermost refused {what}: the trigger is already in use on this team, by a built-in command or another integration.",
                { Failure: MattermostFailure.Unreachable } => "Mattermost could not be reached: check Mattermost:Url.",
                _ => $"Mattermost refused {what} ({e.StatusCode} {e.ErrorId}).",
            });
        }
    }
}

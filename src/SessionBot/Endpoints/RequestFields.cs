using Microsoft.Extensions.Primitives;
using SessionBot.Commands;

namespace SessionBot.Endpoints;

/// <summary>
/// The fields of a slash-command or outgoing-webhook request (docs/mattermost.md §1, §3), as
/// <see cref="MattermostRequestReader"/> read them; repeated keys keep their order.
/// </summary>
public sealed class RequestFields(IReadOnlyDictionary<string, StringValues> fields)
{
    /// <summary>What a body that is not what Mattermost sends is read as: it has no token, so it is refused.</summary>
    public static readonly RequestFields None = new(new Dictionary<string, StringValues>());

    /// <summary>The field's first value; empty when it is missing.</summary>
    public string this[string key] => fields.TryGetValue(key, out var values) ? values.FirstOrDefault() ?? "" : "";

    /// <summary>The trigger the <c>command</c> field names.</summary>
    public string Trigger => TriggerOf(this["command"]);

    /// <summary>A verified slash command, as the command handlers take it.</summary>
    public CommandRequest SlashCommand() => new()
    {
        Trigger = Trigger,
        Text = this["text"],
        UserId = this["user_id"],
        UserName = this["user_name"],
        ChannelId = this["channel_id"],
        MentionIds = Mentions(),
        ResponseUrl = this["response_url"],
    };

    /// <summary>The trigger a <c>command</c> field names: lower case, without its slash.</summary>
    public static string TriggerOf(string command) => command.Trim().TrimStart('/').ToLowerInvariant();

    /// <summary>A value from a request, for log lines: bounded, one line, no control characters.</summary>
    public static string Printable(string value) =>
        new(value.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>
    /// The ids Mattermost resolved for @mentions: parallel repeated keys (docs/mattermost.md §1); ignored unless
    /// they line up.
    /// </summary>
    private Dictionary<string, string> Mentions()
    {
        var names = fields.GetValueOrDefault("user_mentions");
        var ids = fields.GetValueOrDefault("user_mentions_ids");
        var mentions = new Dictionary<string, string>();
        if (names.Count != ids.Count)
            return mentions;
        for (var i = 0; i < names.Count; i++)
        {
            var id = ids[i]?.ToLowerInvariant() ?? "";
            if (CommandParser.IsId(id) && names[i] is { Length: > 0 } name)
                mentions.TryAdd(name.TrimStart('@').ToLowerInvariant(), id);
        }
        return mentions;
    }
}

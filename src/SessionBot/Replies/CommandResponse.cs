using System.Text.Json.Serialization;

namespace SessionBot.Replies;

/// <summary>
/// The JSON body Mattermost accepts from a slash command or outgoing webhook. Slack-markup parsing is always
/// skipped, so <c>&lt;!channel&gt;</c> in a value can never become a mention.
/// </summary>
public sealed record CommandResponse(
    [property: JsonPropertyName("response_type")] string ResponseType,
    [property: JsonPropertyName("text")] string Text)
{
    public const string Ephemeral = "ephemeral";
    /// <summary>Outgoing webhooks: reply in the thread of the triggering post.</summary>
    public const string Comment = "comment";

    [JsonPropertyName("skip_slack_parsing")]
    public bool SkipSlackParsing { get; init; } = true;

    [JsonPropertyName("attachments")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Actions.Attachment>? Attachments { get; init; }

    public static CommandResponse From(string responseType, BotReply reply) =>
        new(responseType, reply.Text) { Attachments = reply.Attachments is { Count: > 0 } ? reply.Attachments : null };
}

[JsonSerializable(typeof(CommandResponse))]
internal sealed partial class ReplyJson : JsonSerializerContext;

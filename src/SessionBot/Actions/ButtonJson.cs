using System.Text.Json.Serialization;

namespace SessionBot.Actions;

/// <summary>A message attachment with buttons, as Mattermost takes it.</summary>
public sealed record Attachment(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("actions")] IReadOnlyList<ButtonAction> Actions);

/// <summary>A button. <see cref="Id"/> must be letters and digits only, or Mattermost never delivers the click.</summary>
public sealed record ButtonAction(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("style")] string Style,
    [property: JsonPropertyName("integration")] ButtonIntegration Integration)
{
    [JsonPropertyName("type")] public string Type => "button";
}

/// <summary>Where Mattermost posts a click of the button, and the signed context it sends back with it.</summary>
public sealed record ButtonIntegration(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("context")] SignedAction Context);

/// <summary>The answer to a click: ephemeral posts cannot be updated, so the result is ephemeral text.</summary>
public sealed record ActionResponse([property: JsonPropertyName("ephemeral_text")] string EphemeralText)
{
    [JsonPropertyName("skip_slack_parsing")] public bool SkipSlackParsing { get; init; } = true;
}

/// <summary>Source-generated JSON for button contexts and click answers.</summary>
[JsonSerializable(typeof(SignedAction))]
[JsonSerializable(typeof(ActionResponse))]
[JsonSerializable(typeof(Attachment))]
internal sealed partial class ActionJson : JsonSerializerContext;

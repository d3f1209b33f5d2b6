using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace SessionBot.Sandbox;

/// <summary>What an integration answered: status, content type and at most 1 MiB of body, as the server reads it.</summary>
public sealed record IntegrationAnswer(HttpStatusCode Status, string StatusLine, string? ContentType, byte[] Body);

/// <summary>
/// The server's outgoing HTTP client for integrations (slash commands, buttons, outgoing webhooks): one attempt, no
/// retries, a timeout of <see cref="ServerSettings.OutgoingIntegrationRequestsTimeout"/>, at most 1 MiB read.
/// </summary>
public static class Integrations
{
    public const int MaxResponseBytes = 1024 * 1024;
    public const string UserAgent = "Mattermost-Bot/1.1";

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Sends the request; throws <see cref="HttpRequestException"/> or <see cref="TaskCanceledException"/> (timeout) when there is no answer.</summary>
    public static async Task<IntegrationAnswer> SendAsync(HttpRequestMessage request, World world, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(world.Settings.OutgoingIntegrationRequestsTimeout);
        request.Headers.UserAgent.ParseAdd(UserAgent);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxResponseBytes && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, MaxResponseBytes - buffer.Length)), timeout.Token)) > 0)
            buffer.Write(chunk, 0, read);
        var status = (int)response.StatusCode;
        // Go's resp.Status, e.g. "500 Internal Server Error": what the server puts in "returned response …".
        var phrase = string.IsNullOrEmpty(response.ReasonPhrase) ? ReasonPhrases.GetReasonPhrase(status) : response.ReasonPhrase;
        return new IntegrationAnswer(response.StatusCode, $"{status} {phrase}".TrimEnd(), response.Content.Headers.ContentType?.MediaType, buffer.ToArray());
    }
}

/// <summary>A CommandResponse as the server reads it from an integration (model.CommandResponse, every field).</summary>
public sealed class CommandReply
{
    [JsonPropertyName("response_type")] public string ResponseType { get; set; } = "";
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    [JsonPropertyName("username")] public string Username { get; set; } = "";
    [JsonPropertyName("channel_id")] public string ChannelId { get; set; } = "";
    [JsonPropertyName("icon_url")] public string IconUrl { get; set; } = "";
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("props")] public JsonObject? Props { get; set; }
    [JsonPropertyName("goto_location")] public string GotoLocation { get; set; } = "";
    [JsonPropertyName("trigger_id")] public string TriggerId { get; set; } = "";
    [JsonPropertyName("skip_slack_parsing")] public bool SkipSlackParsing { get; set; }
    [JsonPropertyName("attachments")] public JsonArray? Attachments { get; set; }
    [JsonPropertyName("extra_responses")] public List<CommandReply>? ExtraResponses { get; set; }

    public const string InChannel = "in_channel";
    public const string Ephemeral = "ephemeral";

    /// <summary>Go's decoder matches field names case-insensitively; so does this one.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// CommandResponseFromHTTPBody: JSON when the content type says so (null when it does not parse), any other body
    /// as plain ephemeral text.
    /// </summary>
    public static CommandReply? From(string? contentType, byte[] body)
    {
        if (contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonSerializer.Deserialize<CommandReply>(body, Json);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        return new CommandReply { Text = System.Text.Encoding.UTF8.GetString(body) };
    }
}

/// <summary>The server's Slack-compatibility rewriting, applied unless <c>skip_slack_parsing</c> is set.</summary>
public static partial class SlackMarkup
{
    [GeneratedRegex(@"<([^\n<\|>]+)\|([^\|\n>]+)>")]
    private static partial Regex LinkWithText();

    [GeneratedRegex(@"<@([a-z0-9]{26})>")]
    private static partial Regex UserId();

    /// <summary><c>&lt;url|text&gt;</c> becomes <c>[text](url)</c> (ParseSlackLinksToMarkdown).</summary>
    public static string LinksToMarkdown(string text) => LinkWithText().Replace(text, "[$2]($1)");

    /// <summary>
    /// ProcessSlackText: <c>&lt;!channel&gt;</c>, <c>&lt;!here&gt;</c>, <c>&lt;!all&gt;</c> become mentions (even inside
    /// code), <c>&lt;@userid&gt;</c> becomes <c>@username</c>.
    /// </summary>
    public static string Process(string text, World world)
    {
        text = text.Replace("<!channel>", "@channel").Replace("<!here>", "@here").Replace("<!all>", "@all");
        return UserId().Replace(text, m =>
        {
            lock (world.Gate)
                return world.Users.TryGetValue(m.Groups[1].Value, out var user) ? "@" + user.Username : m.Value;
        });
    }

    /// <summary>The same for the text of each attachment (pretext, text, title, field values).</summary>
    public static void ProcessAttachments(JsonArray? attachments, World world)
    {
        foreach (var attachment in attachments?.OfType<JsonObject>() ?? [])
        {
            foreach (var key in new[] { "pretext", "text", "title" })
            {
                if (attachment[key] is JsonValue value && value.TryGetValue<string>(out var text))
                    attachment[key] = LinksToMarkdown(Process(text, world));
            }
            foreach (var field in (attachment["fields"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (field["value"] is JsonValue value && value.TryGetValue<string>(out var text))
                    field["value"] = LinksToMarkdown(Process(text, world));
            }
        }
    }
}

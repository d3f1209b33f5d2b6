using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionBot.Sandbox;

/// <summary>
/// Outgoing webhooks as the server fires them after a post (handleWebhookEvents, TriggerWebhook): in public channels
/// only, on the first word, one request per callback URL, in the background; the answer is posted as the webhook's
/// creator, in the thread of the triggering post when its <c>response_type</c> is <c>comment</c>.
/// </summary>
public static partial class EmulatorApi
{
    private static void FireOutgoingWebhooks(World world, Post post)
    {
        OutgoingWebhook[] hooks;
        Channel? channel;
        Team? team;
        User? author;
        lock (world.Gate)
        {
            channel = world.Channels.GetValueOrDefault(post.ChannelId);
            author = world.Users.GetValueOrDefault(post.UserId);
            // Not for integrations' own posts (no loops), nor for what bots post.
            if (channel is not { Type: "O" } || author is null || author.IsBot || post.Props["from_webhook"] is not null || post.IsEphemeral)
                return;
            team = world.Teams.GetValueOrDefault(channel.TeamId);
            hooks = [.. world.OutgoingWebhooks.Where(h => h.TeamId == channel.TeamId && (h.ChannelId == channel.Id || h.ChannelId == ""))];
        }
        if (team is null || hooks.Length == 0)
            return;
        var words = post.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var firstWord = words.Length > 0 ? words[0] : "";
        foreach (var hook in hooks)
        {
            var triggerWord = hook.ChannelId == post.ChannelId && hook.TriggerWords.Count == 0 ? "" : hook.TriggerFor(firstWord);
            if (triggerWord is null)
                continue;
            var payload = new List<KeyValuePair<string, string>>
            {
                new("token", hook.Token),
                new("team_id", hook.TeamId),
                new("team_domain", team.Name),
                new("channel_id", post.ChannelId),
                new("channel_name", channel.Name),
                // Milliseconds in JSON, seconds in the form (OutgoingWebhookPayload.ToFormValues).
                new("timestamp", hook.ContentType == "application/json" ? post.CreateAt.ToString() : (post.CreateAt / 1000).ToString()),
                new("user_id", post.UserId),
                new("user_name", author.Username),
                new("post_id", post.Id),
                new("text", post.Message),
                new("trigger_word", triggerWord),
                new("file_ids", ""),
            };
            foreach (var url in hook.CallbackUrls)
                world.RunInBackground(() => CallOutgoingWebhookAsync(world, hook, channel, post, url, payload));
        }
    }

    private static async Task CallOutgoingWebhookAsync(World world, OutgoingWebhook hook, Channel channel, Post post, string url, List<KeyValuePair<string, string>> payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = hook.ContentType == "application/json"
                ? new StringContent(JsonSerializer.Serialize(payload.ToDictionary(p => p.Key, p => p.Key == "timestamp" ? (object)long.Parse(p.Value) : p.Value)), Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent(payload.OrderBy(p => p.Key, StringComparer.Ordinal)),
        };
        request.Headers.Accept.ParseAdd("application/json");
        IntegrationAnswer answer;
        try
        {
            answer = await Integrations.SendAsync(request, world);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException)
        {
            return;
        }
        // The status is not looked at: whatever JSON came back is the answer; an empty body posts nothing.
        JsonObject? response;
        try
        {
            response = answer.Body.Length == 0 ? null : JsonNode.Parse(answer.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return;
        }
        var text = response?["text"]?.GetValueKind() == JsonValueKind.String ? response["text"]!.GetValue<string>() : null;
        var attachments = response?["attachments"] as JsonArray;
        if (response is null || (text is null && attachments is not { Count: > 0 }))
            return;
        var props = response["props"] is JsonObject given ? given.DeepClone().AsObject() : [];
        props["webhook_display_name"] = hook.DisplayName;
        props.Remove("override_username");
        props.Remove("override_icon_url");
        props["from_webhook"] = "true";
        if (attachments is { Count: > 0 })
        {
            var copy = attachments.DeepClone().AsArray();
            SlackMarkup.ProcessAttachments(copy, world);
            props["attachments"] = WithActionIds(copy);
        }
        var username = response["username"]?.GetValueKind() == JsonValueKind.String ? response["username"]!.GetValue<string>() : "";
        if (world.Settings.EnablePostUsernameOverride)
            props["override_username"] = username.Length > 0 ? username : hook.Username.Length > 0 ? hook.Username : "webhook";
        var responseType = response["response_type"]?.GetValueKind() == JsonValueKind.String ? response["response_type"]!.GetValue<string>() : "";
        world.AddPost(new Post
        {
            Id = World.NewId(),
            ChannelId = channel.Id,
            UserId = hook.CreatorId,
            RootId = responseType == "comment" ? post.Id : "",
            Message = SlackMarkup.LinksToMarkdown(SlackMarkup.Process(text ?? "", world)),
            CreateAt = world.Now,
            UpdateAt = world.Now,
            Props = props,
        });
    }
}

using SessionBot.Commands;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// An outgoing webhook's message read as a command: its first word names the command (<c>revoke</c>, <c>/revoke</c>
/// or <c>!revoke</c>, any case) and the rest is the command's text. The webhook sends the whole message, trigger
/// word included (docs/mattermost.md §3).
/// </summary>
public static class WebhookMessage
{
    /// <summary>The message as a command request; its trigger may name no command (see <see cref="NamesACommand"/>).</summary>
    public static CommandRequest Read(RequestFields fields)
    {
        var message = fields["text"].TrimStart();
        var split = message.IndexOfAny([' ', '\t', '\n', '\r']);
        return new CommandRequest
        {
            Trigger = (split < 0 ? message : message[..split]).TrimStart('/', '!').ToLowerInvariant(),
            Text = split < 0 ? "" : message[(split + 1)..],
            UserId = fields["user_id"],
            UserName = fields["user_name"],
            ChannelId = fields["channel_id"],
            Source = "webhook",
            Audience = Audience.Channel,
        };
    }

    public static bool NamesACommand(CommandRequest request) => Triggers.All.Contains(request.Trigger);

    /// <summary>The answer to a message whose first word names no command: how to start one.</summary>
    /// <param name="reader">The channel, in the language of posts (<see cref="Readers.Remembered"/>: no call).</param>
    public static string NotACommand(ReplyRenderer replies, Reader reader) => replies.Render(ReplyKind.Usage, new UsageReply(Triggers.Sessions,
        reader.Say("usage.webhook-start"), ["revoke all @username", "sessions @username", "deactivate @username"]), reader);
}

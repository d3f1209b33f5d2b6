namespace SessionBot.Commands;

/// <summary>Who sees a command's replies: the caller alone (a slash command, a click) or everyone in the channel (an outgoing webhook's answer).</summary>
public enum Audience { Caller, Channel }

/// <summary>
/// A verified request from Mattermost: a slash command or an outgoing webhook. <see cref="UserId"/> and
/// <see cref="UserName"/> are set by the server from the caller's session, so they are trusted once the token is.
/// </summary>
public sealed record CommandRequest
{
    public required string Trigger { get; init; }
    public required string Text { get; init; }
    public required string UserId { get; init; }
    public required string UserName { get; init; }
    public string ChannelId { get; init; } = "";
    /// <summary>Username (lower-case) → user id, from <c>user_mentions</c> / <c>user_mentions_ids</c>.</summary>
    public IReadOnlyDictionary<string, string> MentionIds { get; init; } = new Dictionary<string, string>();
    /// <summary><c>command</c> or <c>webhook</c>.</summary>
    public string Source { get; init; } = "command";
    /// <summary>Who sees the replies: the caller alone, or (for an outgoing webhook) everyone in the channel.</summary>
    public Audience Audience { get; init; } = Audience.Caller;
    public string ResponseUrl { get; init; } = "";
    /// <summary>Told how many targets of a bulk command are done.</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }
}

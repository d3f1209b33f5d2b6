namespace SessionBot.Sandbox;

/// <summary>
/// Direct-message channels as the server keeps them, and each person's direct messages, for tests (and the
/// playground) to read what the bot told whom.
/// </summary>
public sealed partial class World
{
    /// <summary>
    /// The direct-message channel of two users (a user may have one with themself), made on first use and the same one
    /// after that, as the server's <c>GetOrCreateDirectChannel</c> does: type <c>D</c>, no team, named by the two ids
    /// sorted and joined by <c>__</c> (<c>model.GetDMNameFromIds</c>), the two users its members.
    /// </summary>
    public Channel DirectChannel(string userId, string otherUserId)
    {
        var name = string.Join("__", new[] { userId, otherUserId }.Order(StringComparer.Ordinal));
        lock (Gate)
        {
            var existing = Channels.Values.FirstOrDefault(c => c.Type == "D" && c.Name == name);
            if (existing is not null)
                return existing;
            var channel = new Channel { Id = NewId(), TeamId = "", Name = name, Type = "D", CreateAt = Now, Members = [userId, otherUserId] };
            Channels[channel.Id] = channel;
            return channel;
        }
    }

    /// <summary>The posts in this user's direct-message channels, oldest first: what they would find in their DMs.</summary>
    public IReadOnlyList<Post> DirectMessagesOf(string userId)
    {
        lock (Gate)
        {
            var channels = Channels.Values.Where(c => c.Type == "D" && c.Members.Contains(userId)).Select(c => c.Id).ToHashSet();
            return Posts.Where(p => channels.Contains(p.ChannelId)).OrderBy(p => p.CreateAt).ToArray();
        }
    }
}

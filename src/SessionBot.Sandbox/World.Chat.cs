namespace SessionBot.Sandbox;

/// <summary>Posts, the ephemeral posts the sandbox keeps for their reader, and a change signal for the playground.</summary>
public sealed partial class World
{
    /// <summary>
    /// Ephemeral posts. The real server never stores them: it sends them to the reader's clients over the websocket,
    /// and their buttons carry an encrypted cookie (channel, context, integration URL) that the client sends back with
    /// a click. The sandbox keeps them server-side, for their one reader, which is simpler and clicks the same way.
    /// </summary>
    private readonly List<Post> ephemeralPosts = [];
    private const int EphemeralPostsKept = 1000;

    /// <summary>Stores a post (or keeps an ephemeral one for its reader) and tells watchers.</summary>
    public Post AddPost(Post post)
    {
        lock (Gate)
        {
            if (post.IsEphemeral)
            {
                ephemeralPosts.Add(post);
                if (ephemeralPosts.Count > EphemeralPostsKept)
                    ephemeralPosts.RemoveAt(0);
            }
            else
            {
                Posts.Add(post);
            }
        }
        Changed();
        return post;
    }

    /// <summary>A stored post, or an ephemeral one of <paramref name="readerId"/>.</summary>
    public Post? FindPost(string postId, string readerId)
    {
        lock (Gate)
            return Posts.FirstOrDefault(p => p.Id == postId) ?? ephemeralPosts.FirstOrDefault(p => p.Id == postId && p.VisibleTo == readerId);
    }

    /// <summary>The channel's posts and the reader's ephemeral ones in it, oldest first.</summary>
    public IReadOnlyList<Post> PostsIn(string channelId, string? readerId)
    {
        lock (Gate)
        {
            return [.. Posts.Where(p => p.ChannelId == channelId)
                .Concat(ephemeralPosts.Where(p => p.ChannelId == channelId && p.VisibleTo == readerId))
                .OrderBy(p => p.CreateAt)];
        }
    }

    private readonly object changeGate = new();
    private long version;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Grows by one with every change a client could see.</summary>
    public long Version
    {
        get
        {
            lock (changeGate)
                return version;
        }
    }

    /// <summary>Something changed: wakes whoever waits in <see cref="WaitForChangeAsync"/>.</summary>
    public void Changed()
    {
        TaskCompletionSource signal;
        lock (changeGate)
        {
            version++;
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    /// <summary>The version once it is past <paramref name="seen"/>, or the current one after <paramref name="timeout"/>.</summary>
    public async Task<long> WaitForChangeAsync(long seen, TimeSpan timeout, CancellationToken ct)
    {
        Task signal;
        lock (changeGate)
        {
            if (version != seen)
                return version;
            signal = changed.Task;
        }
        try
        {
            await signal.WaitAsync(timeout, Time, ct);
        }
        catch (TimeoutException)
        {
        }
        return Version;
    }
}

namespace SessionBot.Sandbox;

/// <summary>What the bot posted to response URLs (<c>/hooks/commands/{id}</c>): at most five posts each, as Mattermost allows.</summary>
public sealed class ResponseUrlSink
{
    public const int MaxPosts = 5;
    private readonly Dictionary<string, List<string>> posts = [];
    private readonly Dictionary<string, TaskCompletionSource<string>> waiting = [];
    private readonly List<(string Id, int Count, TaskCompletionSource Signal)> countWaiters = [];

    /// <summary>False when this URL was already used five times.</summary>
    public bool TryPost(string id, string body)
    {
        TaskCompletionSource<string>? waiter;
        lock (posts)
        {
            var list = posts.TryGetValue(id, out var existing) ? existing : posts[id] = [];
            if (list.Count >= MaxPosts)
                return false;
            list.Add(body);
            waiting.Remove(id, out waiter);
            foreach (var reached in countWaiters.Where(w => w.Id == id && list.Count > w.Count).ToArray())
            {
                countWaiters.Remove(reached);
                reached.Signal.TrySetResult();
            }
        }
        waiter?.TrySetResult(body);
        return true;
    }

    /// <summary>Completes when this URL has received more than <paramref name="count"/> posts.</summary>
    public Task NextPostToAsync(string id, int count)
    {
        lock (posts)
        {
            if (posts.TryGetValue(id, out var list) && list.Count > count)
                return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            countWaiters.Add((id, count, signal));
            return signal.Task;
        }
    }

    /// <summary>The first post to this URL: at once if it came already, else when it comes.</summary>
    public Task<string> FirstPostToAsync(string id)
    {
        lock (posts)
        {
            if (posts.TryGetValue(id, out var list) && list.Count > 0)
                return Task.FromResult(list[0]);
            var waiter = waiting.TryGetValue(id, out var existing) ? existing : waiting[id] = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return waiter.Task;
        }
    }

    public IReadOnlyList<string> PostsTo(string id)
    {
        lock (posts)
            return posts.TryGetValue(id, out var list) ? list.ToArray() : [];
    }
}

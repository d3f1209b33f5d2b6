using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// Progress of a long bulk command that was answered "working on it": posted to its response_url at most
/// <see cref="MaxProgressPosts"/> times, so progress and the final result stay within Mattermost's five posts.
/// </summary>
public sealed class DeferredProgress(ResponseUrl responseUrl) : IProgress<(int Done, int Total)>
{
    public const int MaxProgressPosts = ResponseUrl.MaxPosts - 1;
    private readonly object gate = new();
    private Uri? target;
    private int posted;
    private int lastQuarter;

    /// <summary>From now on, progress is posted here.</summary>
    public void Deferred(Uri to)
    {
        lock (gate)
            target = to;
    }

    public void Report((int Done, int Total) value)
    {
        Uri? to;
        lock (gate)
        {
            // A post per quarter done, and only once the user was told "working on it".
            var quarter = value.Done * 4 / Math.Max(1, value.Total);
            if (target is null || value.Done >= value.Total || quarter <= lastQuarter || posted >= MaxProgressPosts)
                return;
            lastQuarter = quarter;
            posted++;
            to = target;
        }
        _ = responseUrl.PostAsync(to, new CommandResponse(CommandResponse.Ephemeral, $":hourglass_flowing_sand: Done {value.Done} of {value.Total}…"), CancellationToken.None);
    }
}

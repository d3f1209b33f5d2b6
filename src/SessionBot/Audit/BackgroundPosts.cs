using System.Collections.Concurrent;
using SessionBot.Mattermost;

namespace SessionBot.Audit;

/// <summary>
/// The posts the bot makes besides its replies: ops-channel notices (<see cref="OpsChannel"/>) and direct messages to
/// the people acted on (<see cref="AffectedPeople"/>). Each is posted in the background, so no reply waits for it; one
/// that cannot be posted is logged and recorded in the audit trail, and never shown as the command failing. Posts still
/// on their way at shutdown are waited for (up to <see cref="ShutdownWait"/>).
/// </summary>
public sealed class BackgroundPosts(IAuditStore audit, TimeProvider time, Metrics.BotMetrics metrics, ILogger<BackgroundPosts> logger) : IAsyncDisposable
{
    public static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Task, byte> posting = new();

    /// <summary>Starts a post and returns at once.</summary>
    /// <param name="what">What it is, for the log: <c>ops-channel notice</c>, <c>direct message</c>.</param>
    /// <param name="ifFailed">
    /// The audit record to write if it fails (its <see cref="AuditEntry.Action"/> says what it was, its
    /// <see cref="AuditEntry.Detail"/> the action it was about); the time, outcome and error id are set then.
    /// </param>
    /// <param name="post">Makes the post: its Mattermost calls, and whatever it reads first.</param>
    public void Start(string what, AuditEntry ifFailed, Func<Task> post)
    {
        Task task;
        // Outside the request's asynchronous flow: the reply's wait on Mattermost (MattermostWait) does not count these
        // calls, and nothing the request set for its own reply reaches them.
        if (ExecutionContext.IsFlowSuppressed())
        {
            task = Task.Run(() => PostAsync(what, ifFailed, post));
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
                task = Task.Run(() => PostAsync(what, ifFailed, post));
        }
        posting.TryAdd(task, 0);
        _ = task.ContinueWith(done => posting.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every post started so far has been made (or has failed and been recorded).</summary>
    public Task IdleAsync() => Task.WhenAll(posting.Keys);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await IdleAsync().WaitAsync(ShutdownWait);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("{Count} notices and messages were still being posted at shutdown and may be lost.", posting.Count);
        }
    }

    private async Task PostAsync(string what, AuditEntry ifFailed, Func<Task> post)
    {
        string failure;
        try
        {
            await post();
            metrics.NoticePosted(ifFailed.Action, succeeded: true);
            return;
        }
        catch (MattermostException e)
        {
            logger.LogWarning("The {What} for {Action} by {UserId} could not be posted: {Failure} {Status} {ErrorId}.",
                what, ifFailed.Detail, ifFailed.CallerId, e.Failure, e.StatusCode, e.ErrorId);
            failure = e.ErrorId.Length > 0 ? e.ErrorId : e.Failure.ToString().ToLowerInvariant();
        }
        catch (Exception e)
        {
            logger.LogError(e, "The {What} for {Action} by {UserId} could not be posted.", what, ifFailed.Detail, ifFailed.CallerId);
            failure = "unexpected";
        }
        metrics.NoticePosted(ifFailed.Action, succeeded: false);
        try
        {
            await audit.AppendAsync(ifFailed with
            {
                At = time.GetUtcNow(),
                Decision = AuditDecision.Allowed,
                Outcome = AuditOutcome.Failed,
                ErrorId = failure,
            }, CancellationToken.None);
        }
        catch (Exception recordFailure)
        {
            logger.LogError(recordFailure, "The failed {What} could not be recorded either.", what);
        }
    }
}

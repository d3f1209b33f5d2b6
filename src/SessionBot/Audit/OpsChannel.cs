using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Audit;

/// <summary>
/// Announces state-changing actions, and refusals of actions on someone else, in <c>Mattermost:OpsChannelId</c>:
/// one line per target, in the language of posts everyone reads (<see cref="Readers.PublicAsync"/>). The notice is
/// written and posted in the background, so the caller's reply never waits for it; a failed
/// announcement never fails the action: it is logged and recorded. Notices still being posted at shutdown are waited
/// for (up to <see cref="ShutdownWait"/>).
/// </summary>
public sealed class OpsChannel(IMattermostClient mattermost, ReplyRenderer replies, Readers readers, IAuditStore audit, IOptions<MattermostOptions> options,
    TimeProvider time, ILogger<OpsChannel> logger) : IAsyncDisposable
{
    public static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(10);
    private readonly string? channelId = string.IsNullOrWhiteSpace(options.Value.OpsChannelId) ? null : options.Value.OpsChannelId;
    private readonly ConcurrentDictionary<Task, byte> posting = new();

    public static bool IsWorthAnnouncing(TargetOutcome outcome) => outcome.Status switch
    {
        OutcomeStatus.Done or OutcomeStatus.Failed or OutcomeStatus.Unknown or OutcomeStatus.NotRecorded => true,
        OutcomeStatus.Refused => !outcome.IsSelf,
        _ => false,
    };

    /// <summary>Starts posting the notice for this outcome, if it is worth one; returns at once.</summary>
    public void Announce(CommandRequest request, OutcomeReply outcome)
    {
        var lines = outcome.Targets.Where(IsWorthAnnouncing).ToArray();
        // A command typed in the ops channel itself is already answered there.
        if (channelId is null || lines.Length == 0 || (request.Source == "webhook" && request.ChannelId == channelId))
            return;
        var notice = new OpsNotice(request.UserName, request.Source, outcome with { Targets = lines });
        var resolved = new HashSet<string>(outcome.Targets.Select(t => t.TargetId).Where(id => id.Length > 0));
        var post = PostAsync(channelId, notice, request, outcome.Action, resolved);
        posting.TryAdd(post, 0);
        _ = post.ContinueWith(done => posting.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every notice started so far has been posted (or has failed and been recorded).</summary>
    public Task IdleAsync() => Task.WhenAll(posting.Keys);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await IdleAsync().WaitAsync(ShutdownWait);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("{Count} ops-channel notices were still being posted at shutdown and may be lost.", posting.Count);
        }
    }

    /// <param name="resolved">The users the command named, kept in the record's command text (see <see cref="AuditText.Of"/>).</param>
    private async Task PostAsync(string channel, OpsNotice notice, CommandRequest request, string action, IReadOnlySet<string> resolved)
    {
        await Task.Yield();
        string failure;
        try
        {
            // A post everyone in the ops channel sees: names in it must notify nobody, whatever the template.
            var message = replies.Render(ReplyKind.OpsNotice, notice, await readers.PublicAsync(CancellationToken.None));
            await mattermost.CreatePostAsync(new CreatePostRequest(channel, message), CancellationToken.None);
            return;
        }
        catch (MattermostException e)
        {
            logger.LogWarning("The ops-channel notice for {Action} by {UserId} could not be posted: {Failure} {Status} {ErrorId}.",
                action, request.UserId, e.Failure, e.StatusCode, e.ErrorId);
            failure = e.ErrorId.Length > 0 ? e.ErrorId : e.Failure.ToString().ToLowerInvariant();
        }
        catch (Exception e)
        {
            logger.LogError(e, "The ops-channel notice for {Action} by {UserId} could not be posted.", action, request.UserId);
            failure = "unexpected";
        }
        try
        {
            await audit.AppendAsync(new AuditEntry
            {
                At = time.GetUtcNow(),
                CallerId = request.UserId,
                CallerUsername = request.UserName,
                ChannelId = channel,
                Source = request.Source,
                CommandText = AuditText.Of(request.Trigger, request.Text, resolved),
                Action = "ops-notice",
                Detail = action,
                Decision = AuditDecision.Allowed,
                Outcome = AuditOutcome.Failed,
                ErrorId = failure,
            }, CancellationToken.None);
        }
        catch (Exception recordFailure)
        {
            logger.LogError(recordFailure, "The failed ops-channel notice could not be recorded either.");
        }
    }
}

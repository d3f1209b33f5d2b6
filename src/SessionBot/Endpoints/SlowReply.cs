using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Commands;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// Runs a verified command within Mattermost's patience (it waits 30 s, docs/mattermost.md §1). A slash command still
/// running after <c>Bot:SlowReplyAfterSeconds</c> is answered "working on it" at once and finished through its
/// response_url (docs/mattermost.md §2, delayed replies); a webhook (no response_url) is waited for.
/// </summary>
/// <param name="logger">Under CommandRunner's category, where these lines have always been logged.</param>
public sealed class SlowReply(CommandRunner runner, ResponseUrl responseUrl, ReplyRenderer replies, Readers readers, IOptions<BotOptions> options, TimeProvider time,
    ILogger<CommandRunner> logger)
{
    /// <summary>Mattermost waits 30 s for a reply; finishing before that lets the user see what happened.</summary>
    public static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(25);

    /// <summary>Work finished through response_url: Mattermost accepts posts there for 30 minutes.</summary>
    private static readonly TimeSpan DeferredDeadline = TimeSpan.FromMinutes(10);

    /// <param name="mayDefer">A slash command, whose response_url can take the result later.</param>
    /// <param name="requestAborted">Ends the work only when it is not deferred.</param>
    public async Task<BotReply> RunAsync(CommandRequest request, bool mayDefer, CancellationToken requestAborted)
    {
        var later = mayDefer ? responseUrl.Resolve(request.ResponseUrl) : null;
        var progress = new DeferredProgress(responseUrl);
        request = request with { Progress = progress };
        // Work that may finish after the request has its own deadline: it must not stop when Mattermost's request ends.
        var deadline = later is null ? CancellationTokenSource.CreateLinkedTokenSource(requestAborted) : new CancellationTokenSource();
        deadline.CancelAfter(later is null ? CommandDeadline : DeferredDeadline);
        var work = RunGuardedAsync(request, deadline.Token);
        if (later is not null && await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(options.Value.SlowReplyAfterSeconds), time)) != work)
        {
            progress.Deferred(later);
            _ = FinishLaterAsync(work, later, deadline);
            return new BotReply(replies.Render(ReplyKind.Working, new { }, readers.Remembered(request)));
        }
        try
        {
            return await work;
        }
        finally
        {
            deadline.Dispose();
        }
    }

    private async Task FinishLaterAsync(Task<BotReply> work, Uri target, CancellationTokenSource deadline)
    {
        try
        {
            await responseUrl.PostAsync(target, CommandResponse.From(CommandResponse.Ephemeral, await work), CancellationToken.None);
        }
        finally
        {
            deadline.Dispose();
        }
    }

    private async Task<BotReply> RunGuardedAsync(CommandRequest request, CancellationToken ct)
    {
        try
        {
            return await runner.RunAsync(request, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("/{Trigger} by {UserId} ran past its deadline.", request.Trigger, request.UserId);
            return new BotReply(ReplyShape.FailureText(replies, Phrase.Of("failure.too-long"), nothingChanged: false, readers.Remembered(request)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "/{Trigger} by {UserId} failed unexpectedly.", request.Trigger, request.UserId);
            return new BotReply(ReplyShape.FailureText(replies, ReplyShape.UnexpectedError, nothingChanged: false, readers.Remembered(request)));
        }
    }
}

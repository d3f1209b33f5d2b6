using Microsoft.Extensions.Options;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Audit;

/// <summary>
/// Announces state-changing actions, and refusals of actions on someone else, in <c>Mattermost:OpsChannelId</c>:
/// one line per target, in the language of posts everyone reads (<see cref="Readers.PublicAsync"/>). The notice is
/// written and posted in the background (<see cref="BackgroundPosts"/>), so the caller's reply never waits for it; a
/// failed announcement never fails the action: it is logged and recorded.
/// </summary>
public sealed class OpsChannel(IMattermostClient mattermost, ReplyRenderer replies, Readers readers, BackgroundPosts posts, IOptions<MattermostOptions> options)
{
    /// <summary>The audit name of a notice that could not be posted.</summary>
    public const string AuditName = "ops-notice";

    private readonly string? channelId = string.IsNullOrWhiteSpace(options.Value.OpsChannelId) ? null : options.Value.OpsChannelId;

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
        if (channelId is not { } channel || lines.Length == 0 || (request.Source == "webhook" && request.ChannelId == channel))
            return;
        var notice = new OpsNotice(request.UserName, request.Source, outcome with { Targets = lines });
        // The users the command named are kept in the record's command text (see AuditText.Of).
        var resolved = new HashSet<string>(outcome.Targets.Select(t => t.TargetId).Where(id => id.Length > 0));
        var ifFailed = new AuditEntry
        {
            CallerId = request.UserId,
            CallerUsername = request.UserName,
            ChannelId = channel,
            Source = request.Source,
            CommandText = AuditText.Of(request.Trigger, request.Text, resolved),
            Action = AuditName,
            Detail = outcome.Action,
            GivenReason = request.GivenReason.Length > 0 ? request.GivenReason : null,
        };
        posts.Start("ops-channel notice", ifFailed, async () =>
        {
            // A post everyone in the ops channel sees: names in it must notify nobody, whatever the template.
            var message = replies.Render(ReplyKind.OpsNotice, notice, await readers.PublicAsync(CancellationToken.None));
            await mattermost.CreatePostAsync(new CreatePostRequest(channel, message), CancellationToken.None);
        });
    }

    /// <summary>Completes when every notice (and message) started so far has been posted, or has failed and been recorded.</summary>
    public Task IdleAsync() => posts.IdleAsync();
}

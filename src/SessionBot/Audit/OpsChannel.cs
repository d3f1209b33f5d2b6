using Microsoft.Extensions.Options;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Audit;

/// <summary>
/// Announces state-changing actions, and refusals of actions on someone else, in <c>Mattermost:OpsChannelId</c>:
/// one line per target. A failed announcement never fails the action; it is logged and recorded.
/// </summary>
public sealed class OpsChannel(IMattermostClient mattermost, ReplyRenderer replies, IAuditStore audit, IOptions<MattermostOptions> options,
    TimeProvider time, ILogger<OpsChannel> logger)
{
    private readonly string? channelId = string.IsNullOrWhiteSpace(options.Value.OpsChannelId) ? null : options.Value.OpsChannelId;

    public static bool IsWorthAnnouncing(TargetOutcome outcome) => outcome.Status switch
    {
        OutcomeStatus.Done or OutcomeStatus.Failed or OutcomeStatus.Unknown or OutcomeStatus.NotRecorded => true,
        OutcomeStatus.Refused => !outcome.IsSelf,
        _ => false,
    };

    public async Task AnnounceAsync(CommandRequest request, OutcomeReply outcome, CancellationToken ct)
    {
        var lines = outcome.Targets.Where(IsWorthAnnouncing).ToArray();
        // A command typed in the ops channel itself is already answered there.
        if (channelId is null || lines.Length == 0 || (request.Source == "webhook" && request.ChannelId == channelId))
            return;
        var message = replies.Render(ReplyKind.OpsNotice, new OpsNotice(request.UserName, request.Source, outcome with { Targets = lines }));
        try
        {
            await mattermost.CreatePostAsync(new CreatePostRequest(channelId, message), ct);
        }
        catch (MattermostException e)
        {
            logger.LogWarning("The ops-channel notice for {Action} by {UserId} could not be posted: {Failure} {Status} {ErrorId}.",
                outcome.Action, request.UserId, e.Failure, e.StatusCode, e.ErrorId);
            try
            {
                await audit.AppendAsync(new AuditEntry
                {
                    At = time.GetUtcNow(),
                    CallerId = request.UserId,
                    CallerUsername = request.UserName,
                    ChannelId = channelId,
                    Source = request.Source,
                    CommandText = AuditText.Of(request.Trigger, request.Text),
                    Action = "ops-notice",
                    Detail = outcome.Action,
                    Decision = AuditDecision.Allowed,
                    Outcome = AuditOutcome.Failed,
                    ErrorId = e.ErrorId.Length > 0 ? e.ErrorId : e.Failure.ToString().ToLowerInvariant(),
                }, CancellationToken.None);
            }
            catch (Exception recordFailure)
            {
                logger.LogError(recordFailure, "The failed ops-channel notice could not be recorded either.");
            }
        }
    }
}

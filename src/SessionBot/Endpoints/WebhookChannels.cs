using Microsoft.Extensions.Options;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// The channels webhook commands are taken from: <c>Mattermost:WebhookChannelIds</c> (default: the ops channel). An
/// outgoing webhook with trigger words but no channel fires in every public channel (docs/mattermost.md §3), where its
/// answers are public: from any other channel nothing is read or changed, the refusal is recorded, and the answer
/// says only where commands are taken.
/// </summary>
public sealed class WebhookChannels(IOptions<MattermostOptions> options, IAuditStore audit, TimeProvider time, ReplyRenderer replies, Readers readers,
    ILogger<CommandRunner> logger)
{
    public bool TakeCommandsFrom(string channelId) => options.Value.WebhookChannels.Contains(channelId, StringComparer.Ordinal);

    /// <summary>Records the refusal of a webhook command from a channel commands are not taken from; the answer to post.</summary>
    public async Task<string> RefuseAsync(CommandRequest request, CancellationToken ct)
    {
        logger.LogWarning("Refused an outgoing-webhook command by {UserId} in channel {ChannelId}: it is not in Mattermost:WebhookChannelIds (default: the ops channel).",
            RequestFields.Printable(request.UserId), RequestFields.Printable(request.ChannelId));
        try
        {
            await audit.AppendAsync(new AuditEntry
            {
                At = time.GetUtcNow(),
                CallerId = request.UserId,
                CallerUsername = request.UserName,
                ChannelId = request.ChannelId,
                Source = request.Source,
                CommandText = AuditText.Of(request.Trigger, request.Text, new HashSet<string>()),
                Action = "webhook-command",
                Decision = AuditDecision.Refused,
                Reason = Phrase.Of("reason.webhook-channel").English,
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The audit record of a refused webhook command could not be written.");
        }
        // A post everyone in that channel reads, in the language of posts (no call: the language last read).
        var problem = Phrase.Of(options.Value.WebhookChannelIds.Count == 0 ? "failure.webhook-ops-channel-only" : "failure.webhook-channels-only");
        return ReplyShape.FailureText(replies, problem, nothingChanged: true, readers.Remembered(request));
    }
}

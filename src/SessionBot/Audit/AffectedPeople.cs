using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Audit;

/// <summary>
/// Tells the person someone else acted on, in a direct message from the bot, what happened, who did it, when, why and
/// what to do now (docs/product.md#notices): for the actions whose <see cref="BotAction.TellsTarget"/> says so, once
/// they are done. Never for self-service, <c>revoke everyone</c> or a deactivation. Posted in the background
/// (<see cref="BackgroundPosts"/>): no reply waits for it, and a message that cannot be posted is logged and recorded,
/// never shown as the command failing. <c>Notify:AffectedPeople</c> turns it off.
/// </summary>
public sealed class AffectedPeople(IMattermostClient mattermost, ServerFacts server, ReplyRenderer replies, Readers readers, IAuditStore audit, BackgroundPosts posts,
    IOptions<NotifyOptions> options, TimeProvider time, ILogger<AffectedPeople> logger)
{
    /// <summary>The audit name of a message that could not be posted.</summary>
    public const string AuditName = "message";

    /// <summary>Direct channels remembered at most (one per person ever told); past it, the next message asks again.</summary>
    private const int MaxChannelsRemembered = 10_000;

    private readonly bool enabled = options.Value.AffectedPeople;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> channelOf = new(StringComparer.Ordinal);
    private readonly string contact = options.Value.Contact?.Trim() ?? "";

    /// <summary>Whether this target of this action is told: it was done, to someone else, who is a person (not a bot).</summary>
    public static bool IsTold(BotAction action, TargetOutcome target) =>
        action.TellsTarget && target is { IsDone: true, IsSelf: false, IsBot: false, TargetId.Length: > 0 };

    /// <summary>
    /// Starts a message to each person the outcome says was acted on, if any; returns at once. Each is written in that
    /// person's language and zone, from the user object the command read for them (the server's language, and UTC,
    /// when it did not read one: a token's owner is read, so only a failed read leaves it out).
    /// </summary>
    public void Tell(TargetContext context, OutcomeReply outcome)
    {
        if (!enabled || BotAction.Named(outcome.Action) is not { } action)
            return;
        var request = context.Request;
        var at = time.GetUtcNow();
        foreach (var target in outcome.Targets.Where(t => IsTold(action, t)))
        {
            var ifFailed = new AuditEntry
            {
                CallerId = request.UserId,
                CallerUsername = request.UserName,
                ChannelId = request.ChannelId,
                Source = request.Source,
                CommandText = AuditText.Of(request.Trigger, request.Text, new HashSet<string> { target.TargetId }),
                Action = AuditName,
                TargetId = target.TargetId,
                TargetUsername = target.User?.Username,
                Detail = action.Name,
                GivenReason = request.GivenReason.Length > 0 ? request.GivenReason : null,
            };
            var person = context.UserOf(target);
            posts.Start("direct message", ifFailed, () => SendAsync(action, request, target, person, at));
        }
    }

    private async Task SendAsync(BotAction action, CommandRequest request, TargetOutcome target, MattermostUser? person, DateTimeOffset at)
    {
        // A real post: usernames in it stand in code spans, whatever the template, so naming the caller notifies nobody.
        var reader = person is null ? await readers.PublicAsync(CancellationToken.None) : readers.Person(person) with { IsPublic = true };
        var message = new DirectMessage(action.Name, request.UserName, reader.Time(at), target) { GivenReason = request.GivenReason, Contact = contact };
        if (action == BotAction.Activate)
            message = message with { Deactivation = await LastDeactivationAsync(target.TargetId, reader) };
        var text = replies.Render(ReplyKind.Message, message, reader);
        var channel = await DirectChannelAsync(target.TargetId);
        try
        {
            await mattermost.CreatePostAsync(new CreatePostRequest(channel, text), CancellationToken.None);
        }
        catch (MattermostException)
        {
            // The next message asks for the channel again, in case this one is why the post failed.
            channelOf.TryRemove(target.TargetId, out _);
            throw;
        }
    }

    /// <summary>
    /// The bot's direct channel with the person: the same channel every time (docs/mattermost.md §7), created with the
    /// first message and remembered, so a later message is one call.
    /// </summary>
    private async Task<string> DirectChannelAsync(string userId)
    {
        if (channelOf.TryGetValue(userId, out var known))
            return known;
        var botId = await server.BotUserIdAsync(CancellationToken.None);
        var channel = await mattermost.CreateDirectChannelAsync(botId, userId, CancellationToken.None);
        if (channelOf.Count >= MaxChannelsRemembered)
            channelOf.Clear();
        return channelOf[userId] = channel.Id;
    }

    /// <summary>
    /// The newest deactivation of this person the audit trail has as done; nothing when it has none (deactivated
    /// elsewhere, or before the trail) or cannot be read, which only leaves that line out of the message.
    /// </summary>
    private async Task<PastDeactivation?> LastDeactivationAsync(string userId, Reader reader)
    {
        try
        {
            var records = await audit.QueryAsync(new AuditQuery(TargetId: userId, Limit: 1, Action: BotAction.Deactivate.Name, Outcome: AuditOutcome.Done), CancellationToken.None);
            return records is [var last] ? new PastDeactivation(last.CallerUsername, reader.Time(last.At), last.GivenReason ?? "") : null;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The audit trail could not be read for the deactivation of {UserId}; the message leaves it out.", userId);
            return null;
        }
    }
}

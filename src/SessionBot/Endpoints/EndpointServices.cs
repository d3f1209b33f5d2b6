using Microsoft.Extensions.Options;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

// What each handler of MattermostEndpoints uses, bound with [AsParameters]. The loggers keep CommandRunner's category,
// where the endpoints' log lines have always been (operators' log filters still apply).

/// <summary>The services of <see cref="MattermostEndpoints.HandleCommandAsync"/>.</summary>
public sealed record CommandServices(TokenVerifier Tokens, CommandRateLimiter RateLimiter, SlowReply SlowReply, ReplyRenderer Replies, Readers Readers,
    IOptions<MattermostOptions> Options, Metrics.BotMetrics Metrics, ILogger<CommandRunner> Logger);

/// <summary>The services of <see cref="MattermostEndpoints.HandleWebhookAsync"/>.</summary>
public sealed record WebhookServices(TokenVerifier Tokens, CommandRateLimiter RateLimiter, WebhookChannels Channels, SlowReply SlowReply,
    ReplyRenderer Replies, Readers Readers, Metrics.BotMetrics Metrics, ILogger<CommandRunner> Logger);

/// <summary>The services of <see cref="MattermostEndpoints.HandleActionAsync"/>.</summary>
public sealed record ClickServices(ClickVerifier Clicks, CommandRunner Runner, ReplyRenderer Replies, Readers Readers, ILogger<CommandRunner> Logger);

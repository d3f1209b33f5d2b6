using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SessionBot.Endpoints;

/// <summary>Section <c>RateLimit</c>: how many commands one person may send.</summary>
public sealed record RateLimitOptions
{
    public const string Section = "RateLimit";
    /// <summary>Sustained commands per minute per user.</summary>
    public int CommandsPerMinute { get; init; } = 30;
    /// <summary>Commands a user may send at once before the per-minute rate applies.</summary>
    public int Burst { get; init; } = 10;
}

public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
        options.CommandsPerMinute is < 1 or > 1_000_000 ? ValidateOptionsResult.Fail("RateLimit:CommandsPerMinute is invalid: it must be from 1 to 1,000,000.")
        : options.Burst is < 1 or > 1_000_000 ? ValidateOptionsResult.Fail("RateLimit:Burst is invalid: it must be from 1 to 1,000,000.")
        : ValidateOptionsResult.Success;
}

/// <summary>
/// A token bucket per user. It is applied after the request's token is verified, so nobody can use up another
/// person's allowance by forging their user id.
/// </summary>
public sealed class CommandRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(userId =>
        RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.Value.CommandsPerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public int CommandsPerMinute => options.Value.CommandsPerMinute;

    public bool TryAcquire(string userId)
    {
        using var lease = limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}

using Microsoft.Extensions.Options;

namespace SessionBot.Actions;

/// <summary>Section <c>Bot</c>: buttons, confirmations, bulk and slow work, the language of public posts.</summary>
public sealed record BotOptions
{
    public const string Section = "Bot";
    /// <summary>The bot's base URL as Mattermost reaches it; button clicks go to <c>{PublicUrl}/mattermost/actions</c>.</summary>
    public string? PublicUrl { get; init; }
    /// <summary>HMAC key that signs button contexts (at least 32 characters).</summary>
    public string? ActionSecret { get; init; }
    public double ActionLifetimeMinutes { get; init; } = 5;
    /// <summary>Targets of one command worked on at the same time.</summary>
    public int BulkConcurrency { get; init; } = 4;
    /// <summary>A command not done by then is answered "working on it" and finished through response_url.</summary>
    public double SlowReplyAfterSeconds { get; init; } = 2;
    /// <summary>Sessions in a /sessions reply that get their own Revoke button.</summary>
    public int RevokeButtons { get; init; } = 10;
    /// <summary>
    /// The language of posts everyone in a channel reads (outgoing-webhook answers, ops-channel notices) and of replies
    /// written before the person is known; unset: the server's default (<c>DefaultClientLocale</c>).
    /// </summary>
    public string? Locale { get; init; }

    public bool ButtonsEnabled => !string.IsNullOrWhiteSpace(PublicUrl) && !string.IsNullOrWhiteSpace(ActionSecret);
}

public sealed class BotOptionsValidator : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var errors = new List<string>();
        if (options.PublicUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            errors.Add("Bot:PublicUrl is invalid: it must be an absolute http or https URL.");
        if (options.PublicUrl is { Length: > 0 } && string.IsNullOrWhiteSpace(options.ActionSecret))
            errors.Add("Bot:ActionSecret is missing: buttons (Bot:PublicUrl is set) need a secret to sign them.");
        if (options.ActionSecret is { Length: > 0 and < 32 })
            errors.Add("Bot:ActionSecret is invalid: use at least 32 random characters.");
        if (options.ActionLifetimeMinutes is <= 0 or > 60)
            errors.Add("Bot:ActionLifetimeMinutes is invalid: it must be more than 0 and at most 60.");
        if (options.BulkConcurrency is < 1 or > 32)
            errors.Add("Bot:BulkConcurrency is invalid: it must be from 1 to 32.");
        if (options.SlowReplyAfterSeconds is <= 0 or > 25)
            errors.Add("Bot:SlowReplyAfterSeconds is invalid: it must be more than 0 and at most 25 (Mattermost waits 30 s).");
        if (options.RevokeButtons is < 0 or > 25)
            errors.Add("Bot:RevokeButtons is invalid: it must be from 0 to 25.");
        if (options.Locale is { Length: > 0 } locale && !Replies.Languages.BuiltIn.TryFind(locale, out _))
            errors.Add($"Bot:Locale is invalid: SessionBot does not speak '{locale}'; it speaks {string.Join(", ", Replies.Languages.BuiltIn.All.Select(l => l.Code))}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

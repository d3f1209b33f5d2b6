using Microsoft.Extensions.Options;
using SessionBot.Replies;

namespace SessionBot.Actions;

/// <summary>Makes signed buttons for one requester.</summary>
public sealed class Buttons(IOptions<BotOptions> options, TimeProvider time)
{
    private readonly BotOptions bot = options.Value;

    public bool Enabled => bot.ButtonsEnabled;
    public TimeSpan Lifetime => TimeSpan.FromMinutes(bot.ActionLifetimeMinutes);

    /// <param name="id">Letters and digits only.</param>
    public ButtonAction Make(string id, string label, string style, SignedAction action) =>
        new(id, label, style, new ButtonIntegration(bot.PublicUrl!.TrimEnd('/') + "/mattermost/actions", action.SignWith(bot.ActionSecret!)));

    /// <summary>An unsigned action for this requester, expiring after the configured lifetime.</summary>
    public SignedAction For(BotAction action, string requesterId, IEnumerable<string> targetIds, string detail = "", string? nonce = null) => new()
    {
        Action = action.Name,
        TargetIds = targetIds.ToArray(),
        Detail = detail,
        RequesterId = requesterId,
        ExpiresAt = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds(),
        Nonce = nonce ?? SignedAction.NewNonce(),
    };

    /// <summary>Why a click must not run, or null when it may.</summary>
    public Phrase? Refusal(SignedAction action, string clickerId)
    {
        if (!Enabled || !action.IsSignedWith(bot.ActionSecret!))
            return Phrase.Of("click.invalid");
        if (time.GetUtcNow().ToUnixTimeSeconds() >= action.ExpiresAt)
            return Phrase.Of("click.expired", bot.ActionLifetimeMinutes);
        if (clickerId != action.RequesterId)
            return Phrase.Of("click.not-yours");
        return null;
    }
}

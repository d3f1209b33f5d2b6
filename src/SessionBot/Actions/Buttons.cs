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
    /// <param name="givenReason">The <c>--reason</c> of the command asked, carried to the click; empty for none.</param>
    public SignedAction For(BotAction action, string requesterId, IEnumerable<string> targetIds, string detail = "", string? nonce = null, string givenReason = "") => new()
    {
        GivenReason = givenReason.Length > 0 ? givenReason : null,
        Action = action.Name,
        TargetIds = targetIds.ToArray(),
        Detail = detail,
        RequesterId = requesterId,
        ExpiresAt = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds(),
        Nonce = nonce ?? SignedAction.NewNonce(),
    };

    /// <summary>Why a click must not run, or null when it may.</summary>
    public Phrase? Refusal(SignedAction action, string clickerId) => Check(action, clickerId)?.Message;

    /// <summary>Why a click may not run, as a word for metrics (<c>forged</c>, <c>expired</c>, <c>other_person</c>) and the message shown.</summary>
    public (string Result, Phrase Message)? Check(SignedAction action, string clickerId)
    {
        if (!Enabled || !action.IsSignedWith(bot.ActionSecret!))
            return ("forged", Phrase.Of("click.invalid"));
        if (time.GetUtcNow().ToUnixTimeSeconds() >= action.ExpiresAt)
            return ("expired", Phrase.Of("click.expired", Lifetime));
        if (clickerId != action.RequesterId)
            return ("other_person", Phrase.Of("click.not-yours"));
        return null;
    }
}

using System.Text.Json;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// Decides whether a button click may run. Mattermost sends no signature with a click (docs/mattermost.md §4), so the
/// context's own signature, expiry, clicker and single use are checked, in that order, before anything runs
/// (docs/product.md#confirmation); the action is then decided again for the clicker, by its handler.
/// </summary>
/// <param name="logger">Under CommandRunner's category, where these lines have always been logged.</param>
public sealed class ClickVerifier(Buttons buttons, IAuditStore audit, Metrics.BotMetrics metrics, ILogger<CommandRunner> logger)
{
    /// <summary>The signed action the click may carry out, or why it may not (the action is then null).</summary>
    public async Task<(SignedAction? Action, Phrase? Refusal)> VerifyAsync(JsonElement click, string clickerId, CancellationToken ct)
    {
        var action = click.TryGetProperty("context", out var context) ? SignedAction.FromContext(context) : null;
        var refused = action is null ? ("forged", Phrase.Of("click.invalid")) : buttons.Check(action, clickerId);
        if (refused is { } why || action is null)
        {
            logger.LogWarning("Refused a button click by {UserId}: {Reason}", RequestFields.Printable(clickerId), refused?.Message.English);
            metrics.ButtonClicked(refused!.Value.Result);
            return (null, refused.Value.Message);
        }
        try
        {
            // Last, so that no other refusal uses the button up.
            if (!await audit.TryConsumeOnceAsync("action:" + action.Nonce, DateTimeOffset.FromUnixTimeSeconds(action.ExpiresAt), ct))
            {
                metrics.ButtonClicked("replayed");
                return (null, Phrase.Of("click.used"));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not check that a button was unused.");
            metrics.ButtonClicked("not_checked");
            return (null, Phrase.Of("click.not-checked"));
        }
        metrics.ButtonClicked(action.Action == BotAction.CancelName ? "cancelled" : "accepted");
        return (action, null);
    }
}

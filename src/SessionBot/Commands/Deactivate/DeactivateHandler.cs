using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Permissions;
using SessionBot.Replies;

namespace SessionBot.Commands.Deactivate;

/// <summary>
/// <c>/deactivate &lt;target …&gt;</c>, and its Confirm button. Mattermost ends the target's sessions; the reply warns
/// when the identity provider can bring them back, or when bots they own stop working.
/// </summary>
public sealed class DeactivateHandler(TargetPipeline pipeline, AuditTrail trail, IMattermostClient mattermost, ServerFacts server, ILogger<DeactivateHandler> logger)
{
    private static readonly Dictionary<string, string> SsoProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["saml"] = "SAML",
        ["gitlab"] = "GitLab",
        ["google"] = "Google",
        ["office365"] = "Microsoft Entra ID (Office 365)",
        ["openid"] = "OpenID Connect",
    };

    public Task<BotReply> HandleAsync(CommandRequest request, DeactivateCommand command, CancellationToken ct) =>
        pipeline.ActOnEachAsync(request, command.Targets, BotAction.Deactivate, DeactivateAsync, PreviewAsync, command.Confirmed, ct);

    /// <summary>A confirmed click: the targets it names, decided again for the clicker now.</summary>
    public Task<BotReply> ClickedAsync(CommandRequest click, IReadOnlyList<TargetRef> targets, CancellationToken ct) =>
        pipeline.ActOnEachAsync(click, targets, BotAction.Deactivate, DeactivateAsync, PreviewAsync, confirmed: true, ct);

    private async Task<TargetOutcome> DeactivateAsync(TargetContext context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        if (!user.IsActive)
        {
            await trail.RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = Phrase.Of("reason.already-deactivated").English }, ct);
            return context.Outcome(OutcomeStatus.Unchanged, user);
        }
        var ownedBots = OwnedBotNamesAsync(user.Id, ct);
        var outcome = await trail.ChangeAsync(context, user, entry, async () =>
        {
            await mattermost.SetActiveAsync(user.Id, false, ct);
            return context.Outcome(OutcomeStatus.Done, user) with
            {
                SsoProvider = SsoProviders.GetValueOrDefault(user.AuthService, ""),
                OwnedBots = await ownedBots,
            };
        }, ct);
        await ownedBots;
        return outcome;
    }

    private async Task<TargetOutcome> PreviewAsync(TargetContext context, MattermostUser user, CancellationToken ct) => user.IsActive
        ? context.Outcome(OutcomeStatus.Pending, user) with { SsoProvider = SsoProviders.GetValueOrDefault(user.AuthService, ""), OwnedBots = await OwnedBotNamesAsync(user.Id, ct) }
        : context.Outcome(OutcomeStatus.Unchanged, user);

    /// <summary>Only a warning depends on it, so a failed look-up gives no names rather than failing the action.</summary>
    private async Task<IReadOnlyList<string>> OwnedBotNamesAsync(string userId, CancellationToken ct)
    {
        try
        {
            return (await server.BotsOwnedByAsync(userId, ct)).Select(b => b.Username).ToArray();
        }
        catch (MattermostException e)
        {
            logger.LogWarning("Could not list the bots of {UserId}: {Failure} {Status}.", userId, e.Failure, e.StatusCode);
            return [];
        }
    }
}

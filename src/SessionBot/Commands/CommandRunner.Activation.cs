using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Commands;

public sealed partial class CommandRunner
{
    private static readonly Dictionary<string, string> SsoProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["saml"] = "SAML",
        ["gitlab"] = "GitLab",
        ["google"] = "Google",
        ["office365"] = "Microsoft Entra ID (Office 365)",
        ["openid"] = "OpenID Connect",
    };

    /// <summary>
    /// <c>/deactivate</c>, for one target. Mattermost ends their sessions; the reply warns when the identity provider
    /// can bring them back, or when bots they own stop working.
    /// </summary>
    private async Task<TargetOutcome> DeactivateAsync(Context context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        if (!user.IsActive)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = "already deactivated" }, ct);
            return Outcome(context, OutcomeStatus.Unchanged, user);
        }
        var ownedBots = OwnedBotNamesAsync(user.Id, ct);
        var outcome = await ChangeAsync(context, user, entry, async () =>
        {
            await mattermost.SetActiveAsync(user.Id, false, ct);
            return Outcome(context, OutcomeStatus.Done, user) with
            {
                SsoProvider = SsoProviders.GetValueOrDefault(user.AuthService, ""),
                OwnedBots = await ownedBots,
            };
        }, ct);
        await ownedBots;
        return outcome;
    }

    /// <summary><c>/activate</c>, for one target.</summary>
    private async Task<TargetOutcome> ActivateAsync(Context context, MattermostUser user, AuditEntry entry, CancellationToken ct)
    {
        if (user.IsActive)
        {
            await RecordAsync(entry with { Decision = AuditDecision.Allowed, Reason = "already active" }, ct);
            return Outcome(context, OutcomeStatus.Unchanged, user);
        }
        return await ChangeAsync(context, user, entry, async () =>
        {
            await mattermost.SetActiveAsync(user.Id, true, ct);
            return Outcome(context, OutcomeStatus.Done, user);
        }, ct);
    }

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

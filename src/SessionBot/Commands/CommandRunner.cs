using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Commands.Activate;
using SessionBot.Commands.AuditLog;
using SessionBot.Commands.Deactivate;
using SessionBot.Commands.Help;
using SessionBot.Commands.Revoke;
using SessionBot.Commands.Sessions;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// Carries out one verified command or button click: parses it and hands it to the handler of its command
/// (<c>Commands/&lt;Command&gt;/</c>). A Mattermost look-up that fails becomes a reply saying that nothing changed.
/// </summary>
public sealed class CommandRunner(
    HelpHandler help,
    UsageHandler usage,
    ListSessionsHandler listSessions,
    AuditLogHandler auditLog,
    RevokeSessionHandler revokeSession,
    RevokeAllHandler revokeAll,
    RevokeTokenHandler revokeToken,
    RevokeEveryoneHandler revokeEveryone,
    DeactivateHandler deactivate,
    ActivateHandler activate,
    ReplyRenderer replies,
    Readers readers,
    IOptions<PolicyOptions> policyOptions,
    Metrics.BotMetrics metrics,
    ILogger<CommandRunner> logger)
{
    private readonly int maxTargets = policyOptions.Value.MaxTargets;

    public Task<BotReply> RunAsync(CommandRequest request, CancellationToken ct)
    {
        var command = CommandParser.Parse(request.Trigger, request.Text, maxTargets);
        request = request with { GivenReason = command.GivenReason };
        return GuardAsync(request, ct => command switch
        {
            HelpCommand c => help.HandleAsync(request, c, ct),
            UsageError c => usage.HandleAsync(request, c, ct),
            ListSessionsCommand c => listSessions.HandleAsync(request, c, ct),
            AuditLogCommand c => auditLog.HandleAsync(request, c, ct),
            RevokeSessionCommand c => revokeSession.HandleAsync(request, c, ct),
            RevokeAllCommand c => revokeAll.HandleAsync(request, c, ct),
            RevokeTokenCommand c => revokeToken.HandleAsync(request, c, ct),
            RevokeEveryoneCommand c => revokeEveryone.HandleAsync(request, c, ct),
            DeactivateCommand c => deactivate.HandleAsync(request, c, ct),
            ActivateCommand c => activate.HandleAsync(request, c, ct),
            _ => throw new InvalidOperationException($"No handler for {command.GetType().Name}."),
        }, ct);
    }

    /// <summary>
    /// A button click whose signature, expiry, clicker and single use were already checked: runs the action it
    /// stands for, deciding the permissions again for the clicker, now. Cancel (or anything else) does nothing.
    /// </summary>
    public Task<BotReply> RunActionAsync(SignedAction action, CommandRequest click, CancellationToken ct)
    {
        var targets = action.TargetIds.Select(id => new TargetRef(TargetKind.UserId, id)).ToArray();
        // The reason the question was asked with; a button sent before buttons carried one has none.
        click = click with { GivenReason = action.GivenReason ?? "" };
        return GuardAsync(click, ct => BotAction.Named(action.Action) switch
        {
            var a when a == BotAction.RevokeAll => revokeAll.ClickedAsync(click, targets, ct),
            var a when a == BotAction.Deactivate => deactivate.ClickedAsync(click, targets, ct),
            var a when a == BotAction.Activate => activate.ClickedAsync(click, targets, ct),
            var a when a == BotAction.RevokeSession && targets.Length == 1 => revokeSession.ClickedAsync(click, targets[0], action.Detail, ct),
            var a when a == BotAction.RevokeEveryone => revokeEveryone.ClickedAsync(click, ct),
            _ => Task.FromResult(new BotReply(replies.Render(ReplyKind.Click, new ClickReply(Phrase.Of("click.cancelled")), readers.Remembered(click)))),
        }, ct);
    }

    private async Task<BotReply> GuardAsync(CommandRequest request, Func<CancellationToken, Task<BotReply>> handle, CancellationToken ct)
    {
        BotReply reply;
        try
        {
            reply = await handle(ct);
        }
        catch (MattermostException e)
        {
            // Only look-ups get here: every changing call reports its own failure per target.
            logger.LogWarning("/{Trigger} by {UserId}: a Mattermost look-up failed ({Failure}, {Status}, {ErrorId}).",
                request.Trigger, request.UserId, e.Failure, e.StatusCode, e.ErrorId);
            reply = new BotReply(replies.Render(ReplyKind.Failure, new FailureReply(DescribeLookupFailure(e), NothingChanged: true), readers.Remembered(request))) { Outcome = "failed" };
        }
        metrics.CommandAnswered(Metrics.BotMetrics.Trigger(request.Trigger), reply.Outcome);
        return reply;
    }

    private static Phrase DescribeLookupFailure(MattermostException e) => e.Failure switch
    {
        MattermostFailure.Unreachable => Phrase.Of("failure.unreachable"),
        MattermostFailure.TimedOut => Phrase.Of("failure.timed-out"),
        MattermostFailure.ServerError => Phrase.Of("failure.server-error"),
        _ when e.StatusCode == 401 => Phrase.Of("failure.bot-token"),
        _ when e.StatusCode == 429 => Phrase.Of("failure.rate-limited"),
        _ => Phrase.Of("failure.refused", e.ErrorId),
    };
}

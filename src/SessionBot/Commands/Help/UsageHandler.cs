using SessionBot.Audit;
using SessionBot.Replies;

namespace SessionBot.Commands.Help;

/// <summary>
/// Input that does not fit the grammar: says what was wrong and how the command is used. Nothing is looked up: the
/// reply is in the caller's language as last seen (<see cref="Readers.Remembered"/>).
/// </summary>
public sealed class UsageHandler(AuditTrail trail, Readers readers, ReplyRenderer replies)
{
    /// <summary>The audit name of a command that did not parse (not an action on anyone, so not in the action catalogue).</summary>
    public const string AuditName = "usage";

    public async Task<BotReply> HandleAsync(CommandRequest request, UsageError usage, CancellationToken ct)
    {
        await trail.RecordAsync(trail.NewEntry(request, AuditName, null) with { Decision = AuditDecision.Refused, Reason = Phrase.Of("reason.usage").English }, ct);
        var reader = readers.Remembered(request);
        return new BotReply(replies.Render(ReplyKind.Usage, new UsageReply(request.Trigger, reader.Say(usage.Problem), HelpLines.FormsOf(request.Trigger)), reader)) { Outcome = "usage" };
    }
}

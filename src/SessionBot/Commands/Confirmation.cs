using SessionBot.Actions;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// The question asked before acting: what will happen, with Confirm / Cancel buttons signed for the caller and bound to
/// the action and its targets; without buttons, the command to type again with <c>--yes</c>.
/// </summary>
public sealed class Confirmation(ReplyRenderer replies, Buttons buttons)
{
    public BotReply Ask(TargetContext context, OutcomeReply question, BotAction action, IEnumerable<string> targetIds)
    {
        var request = context.Request;
        var signed = buttons.For(action, request.UserId, targetIds, givenReason: request.GivenReason);
        // With a reason, the --yes at the very end is still the flag (ReasonOption).
        var retype = $"/{request.Trigger} {request.Text.Trim()} --yes";
        question = question with { GivenReason = request.GivenReason };
        var text = replies.Render(ReplyKind.Confirm, new ConfirmReply(question, buttons.Enabled, retype, (int)Math.Ceiling(buttons.Lifetime.TotalMinutes)), context.Reader);
        if (!buttons.Enabled)
            return new BotReply(text);
        var confirm = buttons.Make("confirm", context.Reader.Say("button.confirm"), "danger", signed);
        // Confirm and Cancel share the nonce: whichever is clicked first uses up the question.
        var cancel = buttons.Make("cancel", context.Reader.Say("button.cancel"), "default", signed with { Action = BotAction.CancelName });
        return new BotReply(text, [new Attachment("", [confirm, cancel])]);
    }
}

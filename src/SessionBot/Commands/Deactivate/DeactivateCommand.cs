namespace SessionBot.Commands.Deactivate;

/// <summary><c>/deactivate &lt;target …&gt;</c> (or <c>me</c>).</summary>
public sealed record DeactivateCommand(IReadOnlyList<TargetRef> Targets) : BotCommand
{
    public static BotCommand Parse(List<string> words, int maxTargets) =>
        CommandParser.ParseTargets(words, maxTargets, Replies.Phrase.Of("usage.deactivate-who"), t => new DeactivateCommand(t));
}

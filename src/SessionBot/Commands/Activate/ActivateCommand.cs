namespace SessionBot.Commands.Activate;

/// <summary><c>/activate &lt;target …&gt;</c>.</summary>
public sealed record ActivateCommand(IReadOnlyList<TargetRef> Targets) : BotCommand
{
    public static BotCommand Parse(List<string> words, int maxTargets) =>
        CommandParser.ParseTargets(words, maxTargets, Replies.Phrase.Of("usage.activate-who"), t => new ActivateCommand(t));
}

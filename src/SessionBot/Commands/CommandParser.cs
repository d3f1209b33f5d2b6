using System.Text.RegularExpressions;
using SessionBot.Commands.Activate;
using SessionBot.Commands.Deactivate;
using SessionBot.Commands.Revoke;
using SessionBot.Commands.Sessions;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// Turns a trigger and the typed text into a <see cref="BotCommand"/>, and reads targets the way every command does.
/// Each command's own grammar is beside its handler (e.g. <see cref="RevokeParser"/>). Pure: no I/O.
/// </summary>
public static partial class CommandParser
{
    [GeneratedRegex("^[a-z0-9]{26}$")]
    private static partial Regex IdPattern();

    // Mattermost usernames: 3–22 characters, a letter first, then letters, digits, '.', '-', '_'.
    [GeneratedRegex("^[a-z][a-z0-9._-]{0,63}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    public static bool IsId(string value) => IdPattern().IsMatch(value);

    /// <param name="trigger">The command name without its slash, e.g. <c>revoke</c>.</param>
    /// <param name="text">Everything after the trigger, as typed.</param>
    /// <param name="maxTargets">Most users one command may name.</param>
    public static BotCommand Parse(string trigger, string? text, int maxTargets = 25)
    {
        trigger = trigger.Trim().TrimStart('/').ToLowerInvariant();
        var (before, reason, trailingYes) = ReasonOption.Of(text ?? "");
        var words = before.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var confirmed = words.RemoveAll(w => w.Equals("--yes", StringComparison.OrdinalIgnoreCase) || w == "-y") > 0 || trailingYes;

        BotCommand command = words is [var only] && IsKeyword(only, "help")
            ? new HelpCommand()
            : trigger switch
            {
                Triggers.Sessions => SessionsParser.Parse(words),
                Triggers.Revoke => RevokeParser.Parse(words, maxTargets),
                Triggers.Deactivate => DeactivateCommand.Parse(words, maxTargets),
                Triggers.Activate => ActivateCommand.Parse(words, maxTargets),
                _ => Usage("usage.unknown-command", Inline(trigger)),
            };
        if (reason is not null && command is not UsageError)
        {
            // The command's own problem, if any, is said first; a reason is then checked only where one is taken.
            if (!TakesReason(command))
                command = Usage("usage.reason-only-for-changes", ReasonOption.Flag);
            else if (ReasonOption.ProblemOf(reason) is { } problem)
                command = Usage(problem);
        }
        return command with
        {
            Trigger = trigger,
            Confirmed = confirmed,
            GivenReason = reason is null || command is UsageError ? "" : ReasonOption.Kept(reason),
        };
    }

    /// <summary>The commands that change something, and so take <c>--reason</c> (docs/product.md#reasons).</summary>
    private static bool TakesReason(BotCommand command) =>
        command is RevokeSessionCommand or RevokeAllCommand or RevokeTokenCommand or RevokeEveryoneCommand or DeactivateCommand or ActivateCommand;

    /// <summary>A list of targets, each person once as typed; <paramref name="whenEmpty"/> (if any) is the usage problem of none.</summary>
    internal static BotCommand ParseTargets(List<string> words, int maxTargets, Phrase? whenEmpty, Func<IReadOnlyList<TargetRef>, BotCommand> create)
    {
        if (words.Count == 0 && whenEmpty is not null)
            return Usage(whenEmpty);
        var targets = new List<TargetRef>();
        foreach (var word in words)
        {
            if (ParseTarget(word) is not { } target)
                return NotAUser(word);
            if (!targets.Contains(target))
                targets.Add(target);
        }
        return targets.Count > maxTargets ? Usage(Phrase.Of("usage.too-many-users", targets.Count, maxTargets)) : create(targets);
    }

    /// <summary>Reads one target; null when the word cannot name a user.</summary>
    public static TargetRef? ParseTarget(string word)
    {
        if (IsKeyword(word, "me"))
            return TargetRef.Me;
        var lower = word.ToLowerInvariant();
        if (lower.StartsWith('@'))
            return UsernamePattern().IsMatch(lower[1..]) ? new TargetRef(TargetKind.Username, lower[1..]) : null;
        if (IdPattern().IsMatch(lower))
            return new TargetRef(TargetKind.UserId, lower);
        if (EmailPattern().IsMatch(word) && word.Length <= 254)
            return new TargetRef(TargetKind.Email, lower);
        return UsernamePattern().IsMatch(lower) ? new TargetRef(TargetKind.Username, lower) : null;
    }

    internal static bool IsKeyword(string word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    internal static UsageError Usage(Phrase problem) => new(problem);

    /// <summary>The usage problem under <paramref name="key"/> (<c>usage.*</c> in the strings files).</summary>
    internal static UsageError Usage(string key, params object[] args) => new(Phrase.Of(key, args));

    internal static UsageError NotAUser(string word) => Usage("usage.not-a-user", Inline(word));

    /// <summary>Makes typed text safe inside a code span of a usage message: no backticks, no line breaks, bounded length.</summary>
    internal static string Inline(string word)
    {
        var cleaned = new string(word.Where(c => c != '`' && !char.IsControl(c)).Take(40).ToArray());
        return word.Length > 40 ? cleaned + "…" : cleaned;
    }
}

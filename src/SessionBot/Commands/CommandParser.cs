using System.Text.RegularExpressions;

namespace SessionBot.Commands;

/// <summary>Turns a trigger and the typed text into a <see cref="BotCommand"/>. Pure: no I/O.</summary>
public static partial class CommandParser
{
    public const int MinSessionPrefix = 4;

    [GeneratedRegex("^[a-z0-9]{26}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]{1,26}$")]
    private static partial Regex SessionPrefixPattern();

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
        var words = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var confirmed = words.RemoveAll(w => w.Equals("--yes", StringComparison.OrdinalIgnoreCase) || w == "-y") > 0;

        BotCommand command = words is [var only] && IsKeyword(only, "help")
            ? new HelpCommand { Trigger = trigger }
            : trigger switch
            {
                Triggers.Sessions => ParseSessions(words),
                Triggers.Revoke => ParseRevoke(words, maxTargets),
                Triggers.Deactivate => ParseTargets(words, maxTargets, "Say who to deactivate: `/deactivate @username` (or `me`).", t => new DeactivateCommand(t) { Trigger = trigger }),
                Triggers.Activate => ParseTargets(words, maxTargets, "Say who to activate: `/activate @username`.", t => new ActivateCommand(t) { Trigger = trigger }),
                _ => new UsageError($"Unknown command /{trigger}.") { Trigger = trigger },
            };
        return command with { Trigger = trigger, Confirmed = confirmed };
    }

    private static BotCommand ParseSessions(List<string> words) => words switch
    {
        [] => new ListSessionsCommand(TargetRef.Me) { Trigger = Triggers.Sessions },
        [var audit] when IsKeyword(audit, "audit") => new AuditLogCommand(TargetRef.Me) { Trigger = Triggers.Sessions },
        [var audit, var who] when IsKeyword(audit, "audit") => ParseTarget(who) is { } target
            ? new AuditLogCommand(target) { Trigger = Triggers.Sessions }
            : NotAUser(who),
        [var audit, ..] when IsKeyword(audit, "audit") => Usage("`/sessions audit` takes at most one user: `/sessions audit @username`."),
        [var who] => ParseTarget(who) is { } target
            ? new ListSessionsCommand(target) { Trigger = Triggers.Sessions }
            : NotAUser(who),
        _ => Usage("`/sessions` takes at most one user: `/sessions @username`."),
    };

    private static BotCommand ParseRevoke(List<string> words, int maxTargets)
    {
        if (words.Count == 0)
            return Usage("Say which session to revoke: `/revoke <session-id>`, or `/revoke all` to sign out everywhere.");
        var first = words[0];
        if (IsKeyword(first, "all"))
            return ParseTargets(words[1..], maxTargets, null, t => new RevokeAllCommand(t.Count == 0 ? [TargetRef.Me] : t) { Trigger = Triggers.Revoke });
        if (IsKeyword(first, "token"))
        {
            return words switch
            {
                [_, var id] when IdPattern().IsMatch(id.ToLowerInvariant()) => new RevokeTokenCommand(id.ToLowerInvariant()) { Trigger = Triggers.Revoke },
                [_, var id] => Usage($"`{Inline(id)}` is not a token id: a token id has 26 letters and digits."),
                _ => Usage("Say which access token to revoke: `/revoke token <token-id>`."),
            };
        }
        if (IsKeyword(first, "everyone"))
            return words.Count == 1 ? new RevokeEveryoneCommand { Trigger = Triggers.Revoke } : Usage("`/revoke everyone` takes nothing after it.");
        if (first.StartsWith('@') || first.Contains('@') || IsKeyword(first, "me"))
            return Usage($"Say which session of `{Inline(first)}` to revoke: `/revoke <session-id> {Inline(first)}`, or `/revoke all {Inline(first)}`.");

        var prefix = first.ToLowerInvariant();
        if (!SessionPrefixPattern().IsMatch(prefix))
            return Usage($"`{Inline(first)}` is not a session id: use the id `/sessions` shows, e.g. `/revoke 8f3k2m1q`.");
        if (prefix.Length < MinSessionPrefix)
            return Usage($"`{Inline(first)}` is too short: give at least {MinSessionPrefix} characters of the session id.");
        return words switch
        {
            [_] => new RevokeSessionCommand(prefix, TargetRef.Me) { Trigger = Triggers.Revoke },
            [_, var who] => ParseTarget(who) is { } target
                ? new RevokeSessionCommand(prefix, target) { Trigger = Triggers.Revoke }
                : NotAUser(who),
            _ => Usage("`/revoke <session-id>` takes one session and at most one user."),
        };
    }

    private static BotCommand ParseTargets(List<string> words, int maxTargets, string? whenEmpty, Func<IReadOnlyList<TargetRef>, BotCommand> create)
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
        return targets.Count > maxTargets ? Usage($"That is {targets.Count} users; name at most {maxTargets} at once.") : create(targets);
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

    private static bool IsKeyword(string word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private static UsageError Usage(string problem) => new(problem) { Trigger = "" };

    private static UsageError NotAUser(string word) =>
        Usage($"`{Inline(word)}` is not a user: name users as `@username`, `username`, a user id or an email address.");

    /// <summary>Makes typed text safe inside a code span of a usage message: no backticks, no line breaks, bounded length.</summary>
    private static string Inline(string word)
    {
        var cleaned = new string(word.Where(c => c != '`' && !char.IsControl(c)).Take(40).ToArray());
        return word.Length > 40 ? cleaned + "…" : cleaned;
    }
}

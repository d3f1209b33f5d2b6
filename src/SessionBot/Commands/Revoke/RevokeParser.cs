using System.Text.RegularExpressions;
using static SessionBot.Commands.CommandParser;

namespace SessionBot.Commands.Revoke;

/// <summary>The grammar of <c>/revoke</c>: a session (and its owner), <c>all</c>, <c>token</c>, <c>everyone</c>.</summary>
public static partial class RevokeParser
{
    public const int MinSessionPrefix = 4;

    [GeneratedRegex("^[a-z0-9]{1,26}$")]
    private static partial Regex SessionPrefixPattern();

    public static BotCommand Parse(List<string> words, int maxTargets)
    {
        if (words.Count == 0)
            return Usage("Say which session to revoke: `/revoke <session-id>`, or `/revoke all` to sign out everywhere.");
        var first = words[0];
        if (IsKeyword(first, "all"))
            return ParseTargets(words[1..], maxTargets, null, t => new RevokeAllCommand(t.Count == 0 ? [TargetRef.Me] : t));
        if (IsKeyword(first, "token"))
        {
            return words switch
            {
                [_, var id] when IsId(id.ToLowerInvariant()) => new RevokeTokenCommand(id.ToLowerInvariant()),
                [_, var id] => Usage($"`{Inline(id)}` is not a token id: a token id has 26 letters and digits."),
                _ => Usage("Say which access token to revoke: `/revoke token <token-id>`."),
            };
        }
        if (IsKeyword(first, "everyone"))
            return words.Count == 1 ? new RevokeEveryoneCommand() : Usage("`/revoke everyone` takes nothing after it.");
        if (first.StartsWith('@') || first.Contains('@') || IsKeyword(first, "me"))
            return Usage($"Say which session of `{Inline(first)}` to revoke: `/revoke <session-id> {Inline(first)}`, or `/revoke all {Inline(first)}`.");

        var prefix = first.ToLowerInvariant();
        if (!SessionPrefixPattern().IsMatch(prefix))
            return Usage($"`{Inline(first)}` is not a session id: use the id `/sessions` shows, e.g. `/revoke 8f3k2m1q`.");
        if (prefix.Length < MinSessionPrefix)
            return Usage($"`{Inline(first)}` is too short: give at least {MinSessionPrefix} characters of the session id.");
        return words switch
        {
            [_] => new RevokeSessionCommand(prefix, TargetRef.Me),
            [_, var who] => ParseTarget(who) is { } target
                ? new RevokeSessionCommand(prefix, target)
                : NotAUser(who),
            _ => Usage("`/revoke <session-id>` takes one session and at most one user."),
        };
    }
}

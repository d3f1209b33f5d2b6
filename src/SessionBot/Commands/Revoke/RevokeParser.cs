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
            return Usage("usage.revoke-what");
        var first = words[0];
        if (IsKeyword(first, "all"))
            return ParseTargets(words[1..], maxTargets, null, t => new RevokeAllCommand(t.Count == 0 ? [TargetRef.Me] : t));
        if (IsKeyword(first, "token"))
        {
            return words switch
            {
                [_, var id] when IsId(id.ToLowerInvariant()) => new RevokeTokenCommand(id.ToLowerInvariant()),
                [_, var id] => Usage("usage.not-a-token-id", Inline(id)),
                _ => Usage("usage.revoke-which-token"),
            };
        }
        if (IsKeyword(first, "everyone"))
            return words.Count == 1 ? new RevokeEveryoneCommand() : Usage("usage.revoke-everyone-alone");
        if (first.StartsWith('@') || first.Contains('@') || IsKeyword(first, "me"))
            return Usage("usage.revoke-which-session-of", Inline(first));

        var prefix = first.ToLowerInvariant();
        if (!SessionPrefixPattern().IsMatch(prefix))
            return Usage("usage.not-a-session-id", Inline(first));
        if (prefix.Length < MinSessionPrefix)
            return Usage("usage.too-short", Inline(first), MinSessionPrefix);
        return words switch
        {
            [_] => new RevokeSessionCommand(prefix, TargetRef.Me),
            [_, var who] => ParseTarget(who) is { } target
                ? new RevokeSessionCommand(prefix, target)
                : NotAUser(who),
            _ => Usage("usage.revoke-one-session"),
        };
    }
}

using System.Text.RegularExpressions;
using SessionBot.Audit;
using SessionBot.Replies;

namespace SessionBot.Commands;

/// <summary>
/// <c>--reason &lt;text&gt;</c>, which every command that changes something takes (docs/product.md#reasons): the text runs
/// from the flag to the end of the command, quotes around it are dropped, and a <c>--yes</c> (or <c>-y</c>) at the very
/// end is the flag, not part of the reason (so that the command typed again with <c>--yes</c> appended, as a question
/// without buttons asks, still confirms). A reason that must end in those words is quoted. Pure: no I/O.
/// </summary>
public static partial class ReasonOption
{
    public const string Flag = "--reason";

    /// <summary>Most characters (Unicode scalar values, as typed) a reason may have.</summary>
    public const int MaxLength = 300;

    [GeneratedRegex(@"(?<=^|\s)--reason(?=\s|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FlagPattern();

    [GeneratedRegex(@"^(?<rest>.*?)(?:^|\s+)(?:--yes|-y)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex TrailingYesPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Opening quote → its closing quote: straight, and the typographic ones editors and phones type instead.</summary>
    private static readonly Dictionary<char, char> Quotes = new() { ['"'] = '"', ['\''] = '\'', ['“'] = '”', ['‘'] = '’', ['„'] = '“', ['«'] = '»' };

    /// <summary>The typed text split at <c>--reason</c>.</summary>
    /// <param name="Command">The words before the flag (all of the text when there is none).</param>
    /// <param name="Reason">The reason as typed, trimmed and unquoted, on one line; null without the flag, empty when nothing follows it.</param>
    /// <param name="TrailingYes">The text ended in <c>--yes</c> (or <c>-y</c>) after the reason.</param>
    public sealed record Split(string Command, string? Reason, bool TrailingYes);

    public static Split Of(string text)
    {
        var flag = FlagPattern().Match(text);
        if (!flag.Success)
            return new Split(text, null, false);
        var reason = text[(flag.Index + flag.Length)..].Trim();
        var yes = TrailingYesPattern().Match(reason);
        if (yes.Success)
            reason = yes.Groups["rest"].Value.Trim();
        if (reason.Length >= 2 && Quotes.TryGetValue(reason[0], out var close) && reason[^1] == close)
            reason = reason[1..^1].Trim();
        // One line, as the audit record and every message show it.
        return new Split(text[..flag.Index], Whitespace().Replace(reason, " "), yes.Success);
    }

    /// <summary>How long the reason is, as the limit counts it: characters as typed, an emoji being one.</summary>
    public static int LengthOf(string reason) => reason.EnumerateRunes().Count();

    /// <summary>
    /// The reason as SessionBot keeps and shows it: an opaque word that looks like a token (or an id, which looks the
    /// same) is replaced by <c>[redacted]</c>, as in the audit record's command text (<see cref="AuditText"/>), so that a
    /// token value pasted by mistake reaches neither the trail, the ops channel nor the person's message.
    /// </summary>
    public static string Kept(string reason) => AuditText.RedactOpaqueWords(reason);

    /// <summary>The usage problem of a reason that is missing its text or too long; null when it is fine.</summary>
    internal static Phrase? ProblemOf(string reason) => reason.Length == 0
        ? Phrase.Of("usage.reason-missing-text", Flag)
        : LengthOf(reason) > MaxLength
            ? Phrase.Of("usage.reason-too-long", LengthOf(reason), MaxLength)
            : null;
}

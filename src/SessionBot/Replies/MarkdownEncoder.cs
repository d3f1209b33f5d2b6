using System.Text;

namespace SessionBot.Replies;

/// <summary>
/// Makes text from outside (names, session props, typed text) inert in a Mattermost message, as Mattermost's own
/// parsers read it: it cannot form links (with or without <c>//</c>), mentions, channel links, hashtags, emoji, LaTeX,
/// HTML, Slack markup, tables, headings, code or emphasis, and cannot break out of its line. It still reads as typed:
/// the escapes are backslashes the apps remove, joiners that do not show, and character references the apps decode.
/// The reply templates' engine runs it on every value a template prints (<see cref="ReplyContext"/>).
/// </summary>
public static class MarkdownEncoder
{
    /// <summary>The punctuation both of Mattermost's Markdown parsers (web: marked, mobile: commonmark) let a backslash escape.</summary>
    private const string Escapable = "\\`*_{}[]()#+-.!|~>";

    /// <summary>
    /// Characters that start a mention (<c>@</c>), hashtag (<c>#</c>), channel link (<c>~</c>), emoji or link
    /// (<c>:</c>, as in <c>:skull:</c>, <c>:D</c>, <c>https:x</c>, <c>javascript:</c>, <c>tel:</c>): a joiner right after
    /// them breaks the word. A backslash alone does not: the web app links these after removing it, and the server finds
    /// mentions in the text without it (mattermost.md §2).
    /// </summary>
    private const string Joined = "@#~:";

    private const char ZeroWidthJoiner = '\u200D';

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var target = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                // Character references where a backslash does not work in every app. Not "&lt;": "&lt;3" is the
                // heart emoticon. "&" itself, so that typed entities ("&#64;channel") stay text.
                case '<':
                    target.Append("&#60;");
                    break;
                case '&':
                    target.Append("&amp;");
                    break;
                case '$':
                    // Inline LaTeX ($\pi$, $$x$$): the web app does not take "\$".
                    target.Append("&#36;");
                    break;
                case var _ when char.IsControl(c) || c is '\u2028' or '\u2029':
                    // No value may start a new line: no headings, tables, lists or code blocks.
                    target.Append(' ');
                    break;
                case var _ when IsBidiControl(c):
                    break;
                default:
                    if (Escapable.Contains(c))
                        target.Append('\\');
                    target.Append(c);
                    if (Joined.Contains(c))
                        target.Append(ZeroWidthJoiner);
                    break;
            }
        }
        return target.ToString();
    }

    /// <summary>
    /// Text for inside a code span the template writes (<c>`{{ inCode value }}`</c>): there it is shown as it is, so
    /// nothing is escaped; only what could end the span or the line is taken out.
    /// </summary>
    public static string InCode(string? text)
    {
        var builder = new StringBuilder((text ?? "").Length);
        foreach (var c in text ?? "")
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
                builder.Append(' ');
            else if (c != '`' && !IsBidiControl(c))
                builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>Right-to-left overrides can make text display differently from what it is.</summary>
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}

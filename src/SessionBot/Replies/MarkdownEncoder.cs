using System.Text;
using HandlebarsDotNet;

namespace SessionBot.Replies;

/// <summary>
/// Makes text from outside (names, session props, typed text) inert in a Mattermost message: it cannot form links,
/// mentions, Slack markup, tables, headings, code or emphasis, and cannot break out of its line. Handlebars uses it
/// for every <c>{{value}}</c>.
/// </summary>
public sealed class MarkdownEncoder : ITextEncoder
{
    public static readonly MarkdownEncoder Instance = new();

    /// <summary>The punctuation Mattermost's Markdown lets a backslash escape.</summary>
    private const string Escapable = "\\`*_{}[]()#+-.!|~>";
    private const char ZeroWidthJoiner = '\u200D';

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var output = new StringWriter(new StringBuilder(text.Length + 16));
        Instance.Encode(text, output);
        return output.ToString();
    }

    public void Encode(StringBuilder? text, TextWriter target) => Encode(text?.ToString(), target);

    public void Encode<T>(T? text, TextWriter target) where T : IEnumerator<char>
    {
        var builder = new StringBuilder();
        while (text is not null && text.MoveNext())
            builder.Append(text.Current);
        Encode(builder.ToString(), target);
    }

    public void Encode(string? text, TextWriter target)
    {
        if (text is null)
            return;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '@':
                    // A backslash does not stop a mention (mattermost.md §2); a joiner after '@' does.
                    target.Write('@');
                    target.Write(ZeroWidthJoiner);
                    break;
                case '<':
                    target.Write("&lt;");
                    break;
                case ':' when i + 2 < text.Length && text[i + 1] == '/' && text[i + 2] == '/':
                    // Breaks bare-URL autolinks such as http://evil.example.
                    target.Write(':');
                    target.Write(ZeroWidthJoiner);
                    break;
                case var _ when char.IsControl(c) || c is '\u2028' or '\u2029':
                    // No value may start a new line: no headings, tables, lists or code blocks.
                    target.Write(' ');
                    break;
                case var _ when IsBidiControl(c):
                    break;
                case var _ when Escapable.Contains(c):
                    target.Write('\\');
                    target.Write(c);
                    break;
                default:
                    target.Write(c);
                    break;
            }
        }
    }

    /// <summary>Right-to-left overrides can make text display differently from what it is.</summary>
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}

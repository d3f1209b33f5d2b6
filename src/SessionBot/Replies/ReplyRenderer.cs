using System.Collections.Concurrent;
using System.Globalization;
using HandlebarsDotNet;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;

namespace SessionBot.Replies;

/// <summary>The kinds of reply, one Handlebars template each (<c>Replies/Templates/&lt;kind&gt;.hbs</c>).</summary>
public static class ReplyKind
{
    public const string Help = "help";
    public const string Usage = "usage";
    public const string Sessions = "sessions";
    public const string Outcome = "outcome";
    public const string Failure = "failure";
    public const string NotAvailable = "not-available";
    public const string TokenRefused = "token-refused";
    public const string OpsNotice = "ops-notice";
    public const string AuditLog = "audit";
    public const string RateLimited = "rate-limited";
    public const string Confirm = "confirm";
    public const string Click = "click";
    public const string Working = "working";
    public static readonly IReadOnlyList<string> All = [Help, Usage, Sessions, Outcome, Failure, NotAvailable, TokenRefused, OpsNotice, AuditLog, RateLimited, Confirm, Click, Working];
}

/// <summary>
/// Renders replies from the built-in templates, or from <c>Templates:Directory</c> where a file of the same name
/// exists. Every <c>{{value}}</c> goes through <see cref="MarkdownEncoder"/>; replies never exceed Mattermost's limit.
/// </summary>
public sealed class ReplyRenderer
{
    /// <summary>Mattermost's post limit is 16,383 runes; UTF-16 length is never less than the rune count.</summary>
    public const int MaxLength = 16_383;

    private readonly IReadOnlyDictionary<string, HandlebarsTemplate<object, object>> templates;
    private static readonly AsyncLocal<bool> RenderingPublicPost = new();
    private static readonly string[] ChannelWideMentions = ["here", "channel", "all"];

    /// <summary>
    /// Within this scope replies become posts everyone in the channel sees (outgoing-webhook answers, ops-channel
    /// notices): usernames are shown in code spans, so naming someone never notifies them.
    /// </summary>
    public static IDisposable PublicPost()
    {
        var end = new EndOfPublicPost(RenderingPublicPost.Value);
        RenderingPublicPost.Value = true;
        return end;
    }

    /// <summary>Restores what was before, so that a scope inside another (an ops notice during a webhook) ends only itself.</summary>
    private sealed class EndOfPublicPost(bool before) : IDisposable
    {
        public void Dispose() => RenderingPublicPost.Value = before;
    }

    public ReplyRenderer(IOptions<TemplateOptions> options)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            TextEncoder = MarkdownEncoder.Instance,
            FormatProvider = CultureInfo.InvariantCulture,
        });
        handlebars.RegisterHelper("plural", (output, _, arguments) =>
        {
            var count = Convert.ToInt64(arguments[0], CultureInfo.InvariantCulture);
            output.WriteSafeString($"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? arguments[1] : arguments[2])}");
        });
        // "@name" for a real username (Mattermost allows only these characters); anything else is escaped. In a
        // public post, and for names that are also channel-wide mentions (@here, @channel, @all), "`@name`": shown,
        // but no one is notified. Never inside a template's code span: there, write `@{{inCode name}}`.
        handlebars.RegisterHelper("atUser", (output, _, arguments) =>
        {
            var username = arguments[0]?.ToString() ?? "";
            if (username.Length == 0 || !username.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_'))
                output.Write(username);
            else if (RenderingPublicPost.Value || ChannelWideMentions.Contains(username))
                output.WriteSafeString("`@" + username + "`");
            else
                output.WriteSafeString("@" + username);
        });
        // "`@name`" for posts others see: a code span shows the name and notifies nobody.
        handlebars.RegisterHelper("codeUser", (output, _, arguments) =>
            output.WriteSafeString("`@" + new string(MarkdownEncoder.InCode(arguments[0]?.ToString()).Take(64).ToArray()) + "`"));
        // A value inside a code span the template writes, e.g. `/sessions @{{inCode User.Username}}`: shown as it is.
        handlebars.RegisterHelper("inCode", (output, _, arguments) => output.WriteSafeString(MarkdownEncoder.InCode(arguments[0]?.ToString())));
        var compiled = new Dictionary<string, HandlebarsTemplate<object, object>>();
        foreach (var kind in ReplyKind.All)
        {
            var source = ReadOverride(options.Value.Directory, kind) ?? ReadBuiltIn(kind);
            try
            {
                compiled[kind] = handlebars.Compile(source);
            }
            catch (HandlebarsException e)
            {
                throw new InvalidOperationException($"Templates:Directory: the template '{kind}.hbs' does not compile: {e.Message}", e);
            }
        }
        templates = compiled;
    }

    /// <summary>Renders a reply; text past the limit is cut with a note.</summary>
    public string Render(string kind, object model) => Fit(RenderRaw(kind, model));

    /// <summary>
    /// Renders the largest <paramref name="wanted"/>-or-fewer items that fit the limit: <paramref name="modelFor"/>
    /// builds the model for a given number of shown items.
    /// </summary>
    public string RenderFitting(string kind, int wanted, Func<int, object> modelFor)
    {
        var shown = wanted;
        var text = RenderRaw(kind, modelFor(shown));
        while (text.Length > MaxLength && shown > 0)
        {
            shown = Math.Min(shown - 1, (int)((long)shown * MaxLength / text.Length * 9 / 10));
            text = RenderRaw(kind, modelFor(Math.Max(shown, 0)));
        }
        return Fit(text);
    }

    private string RenderRaw(string kind, object model) => templates[kind](model).Trim();

    private static string Fit(string text)
    {
        if (text.Length <= MaxLength)
            return text;
        const string note = "\n… (cut to fit Mattermost's message limit)";
        var cut = MaxLength - note.Length;
        // At the end of a line where there is one: a cut inside a line could leave a code span open, and the username
        // in it live.
        var lineEnd = text.LastIndexOf('\n', cut - 1);
        if (lineEnd > 0)
            cut = lineEnd;
        else if (char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut] + note;
    }

    private static string? ReadOverride(string? directory, string kind)
    {
        if (string.IsNullOrEmpty(directory))
            return null;
        var path = Path.Combine(directory, kind + ".hbs");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static string ReadBuiltIn(string kind)
    {
        using var stream = typeof(ReplyRenderer).Assembly.GetManifestResourceStream($"SessionBot.Replies.Templates.{kind}.hbs")
            ?? throw new InvalidOperationException($"The built-in template '{kind}.hbs' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Options;
using Scriban.Runtime;
using SessionBot.Configuration;

namespace SessionBot.Replies;

/// <summary>
/// The kinds of reply, one Scriban template each (<c>Replies/Templates/&lt;kind&gt;.sbn</c>), except that an outcome
/// and a question before acting have one per action (<c>outcome-&lt;action&gt;.sbn</c>, <c>confirm-&lt;action&gt;.sbn</c>).
/// </summary>
public static class ReplyKind
{
    public const string Help = "help";
    public const string Usage = "usage";
    public const string Sessions = "sessions";
    public const string Outcome = "outcome";
    public const string Failure = "failure";
    public const string TokenRefused = "token-refused";
    public const string OpsNotice = "ops-notice";
    public const string AuditLog = "audit";
    public const string RateLimited = "rate-limited";
    public const string Confirm = "confirm";
    public const string Click = "click";
    public const string Working = "working";
    public static readonly IReadOnlyList<string> All = [Help, Usage, Sessions, Outcome, Failure, TokenRefused, OpsNotice, AuditLog, RateLimited, Confirm, Click, Working];
}

/// <summary>
/// Renders replies from the built-in templates, or from <c>Templates:Directory</c> where a file of the same name
/// exists. Every value a template prints is escaped for Markdown by the engine (<see cref="ReplyContext"/>); replies
/// never exceed Mattermost's limit.
/// </summary>
public sealed class ReplyRenderer
{
    /// <summary>Mattermost's post limit is 16,383 runes; UTF-16 length is never less than the rune count.</summary>
    public const int MaxLength = 16_383;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> BotMarkdownFields = new();
    private readonly ReplyTemplates templates;

    /// <summary>Reads and parses every template; a problem with any of them stops start-up, saying where.</summary>
    public ReplyRenderer(IOptions<TemplateOptions> options) => templates = ReplyTemplates.Load(options.Value.Directory);

    /// <summary>The template (name without <c>.sbn</c>) that renders this reply.</summary>
    public static string TemplateFor(string kind, object model) => (kind, model) switch
    {
        (ReplyKind.Outcome, OutcomeReply outcome) => $"{kind}-{outcome.Action}",
        (ReplyKind.Confirm, ConfirmReply confirm) => $"{kind}-{confirm.Outcome.Action}",
        _ => kind,
    };

    /// <summary>Renders a reply for its reader; text past the limit is cut with a note.</summary>
    public string Render(string kind, object model, Reader reader) => Fit(RenderRaw(kind, model, reader));

    /// <summary>
    /// An ephemeral reply to whoever sent the request (<see cref="Reader.Person"/>): the endpoints' own answers, written
    /// before any command runs (a refused token, a rate limit, a request that is not Mattermost's).
    /// </summary>
    public string Render(string kind, object model) => Render(kind, model, Reader.Person);

    /// <summary>
    /// Renders the largest <paramref name="wanted"/>-or-fewer items that fit the limit: <paramref name="modelFor"/>
    /// builds the model for a given number of shown items.
    /// </summary>
    public string RenderFitting(string kind, int wanted, Func<int, object> modelFor, Reader reader)
    {
        var shown = wanted;
        var text = RenderRaw(kind, modelFor(shown), reader);
        while (text.Length > MaxLength && shown > 0)
        {
            shown = Math.Min(shown - 1, (int)((long)shown * MaxLength / text.Length * 9 / 10));
            text = RenderRaw(kind, modelFor(Math.Max(shown, 0)), reader);
        }
        return Fit(text);
    }

    private string RenderRaw(string kind, object model, Reader reader)
    {
        var name = TemplateFor(kind, model);
        var template = templates.Get(name)
            ?? throw new InvalidOperationException($"There is no template '{name}{ReplyTemplates.Extension}' for this {kind} reply.");
        var context = new ReplyContext(templates, reader);
        context.PushGlobal(Globals(model));
        return template.Render(context).Trim();
    }

    /// <summary>The model's members by their C# names; a field the bot writes as Markdown stays Markdown.</summary>
    private static ScriptObject Globals(object model)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: member => member.Name);
        var fields = BotMarkdownFields.GetOrAdd(model.GetType(), type =>
            type.GetProperties().Where(property => property.IsDefined(typeof(BotMarkdownAttribute)) && property.PropertyType == typeof(string)).ToArray());
        foreach (var field in fields)
            globals.SetValue(field.Name, new BotMarkdown((string?)field.GetValue(model) ?? ""), false);
        return globals;
    }

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
}

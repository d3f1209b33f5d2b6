using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Options;
using Scriban.Runtime;
using SessionBot.Configuration;

namespace SessionBot.Replies;

/// <summary>
/// The kinds of reply, one Scriban template each (<c>Replies/Templates/&lt;kind&gt;.sbn</c>), except that an outcome,
/// a question before acting and the direct message to the person acted on have one per action
/// (<c>outcome-&lt;action&gt;.sbn</c>, <c>confirm-&lt;action&gt;.sbn</c>, <c>message-&lt;action&gt;.sbn</c>).
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
    /// <summary>The direct message to the person an action was done to: one template per action (<c>message-&lt;action&gt;.sbn</c>).</summary>
    public const string Message = "message";
    public static readonly IReadOnlyList<string> All = [Help, Usage, Sessions, Outcome, Failure, TokenRefused, OpsNotice, AuditLog, RateLimited, Confirm, Click, Working, Message];
}

/// <summary>
/// Renders replies for their reader (a post everyone sees, or one person; in their language) from the built-in
/// templates of that language, or from <c>Templates:Directory</c> where a file of the same name exists (see
/// <see cref="ReplyTemplates"/>). Every value a template prints is escaped for Markdown by the engine
/// (<see cref="ReplyContext"/>); replies never exceed Mattermost's limit.
/// </summary>
public sealed class ReplyRenderer
{
    /// <summary>Mattermost's post limit is 16,383 runes; UTF-16 length is never less than the rune count.</summary>
    public const int MaxLength = 16_383;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> BotMarkdownFields = new();
    private readonly ReplyTemplates templates;
    private readonly Reader unknownPerson;

    /// <summary>Reads and parses every template; a problem with any of them stops start-up, saying where.</summary>
    /// <param name="bot"><c>Bot:Locale</c>: the language of replies written before anyone is known (<see cref="Render(string, object)"/>).</param>
    public ReplyRenderer(IOptions<TemplateOptions> options, IOptions<Actions.BotOptions>? bot = null)
    {
        templates = ReplyTemplates.Load(options.Value.Directory);
        unknownPerson = bot?.Value.Locale is { Length: > 0 } locale ? Reader.Person with { Language = Languages.BuiltIn.Find(locale) } : Reader.Person;
    }

    /// <summary>The template (name without <c>.sbn</c>) that renders this reply.</summary>
    public static string TemplateFor(string kind, object model) => (kind, model) switch
    {
        (ReplyKind.Outcome, OutcomeReply outcome) => $"{kind}-{outcome.Action}",
        (ReplyKind.Confirm, ConfirmReply confirm) => $"{kind}-{confirm.Outcome.Action}",
        (ReplyKind.Message, DirectMessage message) => $"{kind}-{message.Action}",
        _ => kind,
    };

    /// <summary>Renders a reply for its reader; text past the limit is cut with a note.</summary>
    public string Render(string kind, object model, Reader reader) => Fit(RenderRaw(kind, model, reader), reader);

    /// <summary>
    /// An ephemeral reply to whoever sent the request, before anything about them is known: the endpoints' own answers,
    /// written before any command runs (a refused token, a rate limit, a request that is not Mattermost's). In
    /// <c>Bot:Locale</c> (else English), times in UTC.
    /// </summary>
    public string Render(string kind, object model) => Render(kind, model, unknownPerson);

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
        return Fit(text, reader);
    }

    private string RenderRaw(string kind, object model, Reader reader)
    {
        var name = TemplateFor(kind, model);
        var template = templates.Get(name, reader.Language)
            ?? throw new InvalidOperationException($"There is no template '{name}{ReplyTemplates.Extension}' for this {kind} reply.");
        var context = new ReplyContext(templates, reader);
        context.PushGlobal(Globals(model, reader));
        return template.Render(context).Trim();
    }

    /// <summary>
    /// The model's members by their C# names, a phrase as the text it says to the reader; a field the bot writes as
    /// Markdown stays Markdown.
    /// </summary>
    private static ScriptObject Globals(object model, Reader reader)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: member => member.Name);
        foreach (var (name, value) in globals.ToArray())
        {
            if (value is Phrase phrase)
                globals.SetValue(name, reader.Say(phrase), false);
        }
        var fields = BotMarkdownFields.GetOrAdd(model.GetType(), type =>
            type.GetProperties().Where(property => property.IsDefined(typeof(BotMarkdownAttribute)) && property.PropertyType == typeof(string)).ToArray());
        foreach (var field in fields)
            globals.SetValue(field.Name, new BotMarkdown((string?)field.GetValue(model) ?? ""), false);
        return globals;
    }

    private static string Fit(string text, Reader reader)
    {
        if (text.Length <= MaxLength)
            return text;
        var note = "\n" + reader.Say("reply.cut");
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

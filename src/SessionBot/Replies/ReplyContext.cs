using System.Collections;
using System.Globalization;
using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace SessionBot.Replies;

/// <summary>
/// Markdown the bot made, printed as it is. Only <see cref="ReplyFunctions"/>, the <c>include</c> of another template
/// and a model field marked <see cref="BotMarkdownAttribute"/> make one: a template cannot, so every other value it
/// prints is escaped.
/// </summary>
internal sealed class BotMarkdown(string text)
{
    public string Text { get; } = text;

    /// <summary>Text joined with other text in an expression (<c>atUser x + "!"</c>) becomes plain text again, and is escaped.</summary>
    public override string ToString() => Text;
}

/// <summary>A model field that holds Markdown the bot wrote itself (typed text in it only inside code spans it made).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BotMarkdownAttribute : Attribute;

/// <summary>
/// The Scriban context a reply renders in, for one <see cref="Reader"/>. Whatever a <c>{{ expression }}</c> prints goes
/// through <see cref="MarkdownEncoder.Escape"/> unless it is <see cref="BotMarkdown"/>; the template's own text is
/// written as it is. A <see cref="Phrase"/> in a model is text in the reader's language to the template: a string like any
/// other, printed escaped, joined, compared and tested as the text it says. Conditions read like the old templates: nothing, <c>false</c>, empty text, zero and an empty list are false.
/// Model members keep their C# names (<c>Target.Username</c>), and a member of nothing is nothing.
/// </summary>
internal sealed class ReplyContext : TemplateContext
{
    private readonly ReplyTemplates templates;

    public ReplyContext(ReplyTemplates templates, Reader reader) : base(ReplyFunctions.Builtins)
    {
        this.templates = templates;
        Reader = reader;
        TemplateLoader = templates.Loader;
        MemberRenamer = member => member.Name;
        // As Handlebars did: User.FullName when there is no User is nothing, not an error.
        EnableRelaxedTargetAccess = true;
        // Replies are bounded by the bot (RenderFitting shortens long lists), not by Scriban's defaults.
        LoopLimit = 0;
        LimitToString = 0;
        AutoIndent = false;
        NewLine = "\n";
        PushCulture(CultureInfo.InvariantCulture);
        PushGlobal(ReplyFunctions.Instance);
    }

    /// <summary>Who reads the reply being rendered.</summary>
    public Reader Reader { get; }

    /// <summary>A phrase is text in the reader's language, wherever a template uses it as text.</summary>
    public override string ObjectToString(object? value, bool nested = false) =>
        value is Phrase phrase ? Reader.Say(phrase) : base.ObjectToString(value, nested) ?? "";

    /// <summary>A model's members as the template reads them: a phrase is already the text it says.</summary>
    protected override IObjectAccessor? GetMemberAccessorImpl(object target) =>
        base.GetMemberAccessorImpl(target) is { } accessor ? new SayingAccessor(accessor, Reader) : null;

    /// <summary>Reads members through another accessor and says the phrases among them in the reader's language.</summary>
    private sealed class SayingAccessor(IObjectAccessor inner, Reader reader) : IObjectAccessor
    {
        public int GetMemberCount(TemplateContext context, SourceSpan span, object target) => inner.GetMemberCount(context, span, target);
        public IEnumerable<string> GetMembers(TemplateContext context, SourceSpan span, object target) => inner.GetMembers(context, span, target);
        public bool HasMember(TemplateContext context, SourceSpan span, object target, string member) => inner.HasMember(context, span, target, member);
        public bool TrySetValue(TemplateContext context, SourceSpan span, object target, string member, object? value) => inner.TrySetValue(context, span, target, member, value);
        public bool TrySetItem(TemplateContext context, SourceSpan span, object target, object index, object? value) => inner.TrySetItem(context, span, target, index, value);
        public bool HasIndexer => inner.HasIndexer;
        public Type? IndexType => inner.IndexType;

        public bool TryGetValue(TemplateContext context, SourceSpan span, object target, string member, out object? value)
        {
            var found = inner.TryGetValue(context, span, target, member, out value);
            if (value is Phrase phrase)
                value = reader.Say(phrase);
            return found;
        }

        public bool TryGetItem(TemplateContext context, SourceSpan span, object target, object index, out object? value)
        {
            var found = inner.TryGetItem(context, span, target, index, out value);
            if (value is Phrase phrase)
                value = reader.Say(phrase);
            return found;
        }
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (textAsObject is BotMarkdown markdown)
            Write(markdown.Text);
        else if (textAsObject is not null)
            Write(MarkdownEncoder.Escape(ObjectToString(textAsObject)));
        return this;
    }

    public override ValueTask<TemplateContext> WriteAsync(SourceSpan span, object? textAsObject) => new(Write(span, textAsObject));

    public override bool ToBool(SourceSpan span, object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        BotMarkdown m => m.Text.Length > 0,
        Phrase p => !p.IsEmpty,
        sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0,
        ICollection collection => collection.Count > 0,
        IEnumerable enumerable => enumerable.GetEnumerator().MoveNext(),
        _ => base.ToBool(span, value),
    };

    /// <summary>Included templates were read and parsed at start-up.</summary>
    protected override Template CreateTemplate(string templatePath, ScriptNode? callerContext) =>
        templates.Parsed(templatePath) ?? base.CreateTemplate(templatePath, callerContext);
}

/// <summary>
/// The functions templates name users and write the bot's own markup with; their results (and only theirs) are
/// <see cref="BotMarkdown"/>. Shared by every render, so read-only.
/// </summary>
internal sealed class ReplyFunctions : ScriptObject
{
    public static readonly ReplyFunctions Instance = new();

    /// <summary>
    /// Scriban's own functions (string.upcase, array.size, …), made once: whatever they return is escaped. Their
    /// <c>include</c> gives the other template's output as <see cref="BotMarkdown"/>; <c>include_join</c> is left out.
    /// </summary>
    public static readonly ScriptObject Builtins = MakeBuiltins();

    private static readonly string[] ChannelWideMentions = ["here", "channel", "all"];

    private ReplyFunctions()
    {
        this.Import("atUser", new Func<TemplateContext, object?, BotMarkdown>(AtUser));
        this.Import("codeUser", new Func<TemplateContext, object?, BotMarkdown>(CodeUser));
        this.Import("inCode", new Func<TemplateContext, object?, BotMarkdown>(InCode));
        this.Import("plural", new Func<TemplateContext, object?, object?[], BotMarkdown>(Plural));
        this.Import("permission", new Func<TemplateContext, object?, BotMarkdown>(PermissionName));
        IsReadOnly = true;
    }

    private static ScriptObject MakeBuiltins()
    {
        var builtins = new BuiltinFunctions();
        builtins.SetValue("include", new SafeInclude(), true);
        builtins.Remove("include_join");
        foreach (var module in builtins.Values.OfType<ScriptObject>())
            module.IsReadOnly = true;
        builtins.IsReadOnly = true;
        return builtins;
    }

    /// <summary>
    /// "@name" for a real username (Mattermost allows only these characters); anything else is escaped. In a public
    /// post, and for names that are also channel-wide mentions (@here, @channel, @all), "`@name`": shown, but no one is
    /// notified. Never inside a template's code span: there, write <c>`@{{ inCode name }}`</c>.
    /// </summary>
    public static BotMarkdown AtUser(TemplateContext context, object? name)
    {
        var username = Text(context, name);
        if (username.Length == 0 || !username.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_'))
            return new(MarkdownEncoder.Escape(username));
        if (((ReplyContext)context).Reader.IsPublic || ChannelWideMentions.Contains(username))
            return new("`@" + username + "`");
        return new("@" + username);
    }

    /// <summary>"`@name`" for posts others see: a code span shows the name and notifies nobody.</summary>
    public static BotMarkdown CodeUser(TemplateContext context, object? name) => new("`@" + new string(MarkdownEncoder.InCode(Text(context, name)).Take(64).ToArray()) + "`");

    /// <summary>A value inside a code span the template writes, e.g. <c>`/sessions @{{ inCode Target.Username }}`</c>: shown as it is.</summary>
    public static BotMarkdown InCode(TemplateContext context, object? value) => new(MarkdownEncoder.InCode(Text(context, value)));

    /// <summary>
    /// "1 session", "1,234 sessions", "1.234 Sitzungen": the count as the reader's culture writes it, with the word in the
    /// form the language's plural rule picks (escaped). The forms come in the order of the language's categories
    /// (<c>plural</c> in its strings file: one, other for English); a missing form is the last one given.
    /// </summary>
    public static BotMarkdown Plural(TemplateContext context, object? count, params object?[] forms)
    {
        var language = ((ReplyContext)context).Reader.Language;
        var n = Convert.ToInt64(count, CultureInfo.InvariantCulture);
        var form = forms.Length == 0 ? null : forms[Math.Min(language.Plural.IndexOf(n), forms.Length - 1)];
        return new($"{language.Number(n)} {MarkdownEncoder.Escape(Text(context, form))}");
    }

    /// <summary>A permission name, in a code span: <c>`manage_system`</c>.</summary>
    public static BotMarkdown PermissionName(TemplateContext context, object? name) => new("`" + MarkdownEncoder.InCode(Text(context, name)) + "`");

    private static string Text(TemplateContext context, object? value) => value switch
    {
        null => "",
        string s => s,
        BotMarkdown m => m.Text,
        Phrase p => ((ReplyContext)context).Reader.Say(p),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Scriban's <c>include</c>, whose result is the other template's output: already escaped as that template
    /// printed it, so printed as it is.
    /// </summary>
    private sealed class SafeInclude : IScriptCustomFunction
    {
        private static readonly IncludeFunction Include = new();

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            Include.Invoke(context, callerContext, arguments, blockStatement) is { } output ? new BotMarkdown(output.ToString() ?? "") : null;

        public async ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            await Include.InvokeAsync(context, callerContext, arguments, blockStatement) is { } output ? new BotMarkdown(output.ToString() ?? "") : null;

        public int RequiredParameterCount => Include.RequiredParameterCount;
        public int ParameterCount => Include.ParameterCount;
        public ScriptVarParamKind VarParamKind => Include.VarParamKind;
        public Type ReturnType => typeof(BotMarkdown);
        public ScriptParameterInfo GetParameterInfo(int index) => Include.GetParameterInfo(index);
        public int GetParameterIndexByName(string name) => Include.GetParameterIndexByName(name);
    }
}

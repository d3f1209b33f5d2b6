using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace SessionBot.Replies;

/// <summary>
/// The reply templates in force, per language: for a language, the file in <c>Templates:Directory/&lt;locale&gt;/</c>,
/// else the file in <c>Templates:Directory</c>, else the built-in one of that language (<c>Replies/Templates/&lt;locale&gt;/</c>),
/// else the built-in English one (<c>Replies/Templates/</c>). All are read and parsed once, at start-up, where any
/// problem (a template that does not parse, an include of no template, an override nothing would use, a folder for a
/// language SessionBot does not speak, Handlebars files left from before) stops start-up.
/// </summary>
public sealed class ReplyTemplates
{
    public const string Extension = ".sbn";

    private const string ResourcePrefix = "SessionBot.Replies.Templates.";

    /// <summary>The built-in templates: resource name by (language code, or "" for English at the top; name without <c>.sbn</c>).</summary>
    private static readonly IReadOnlyDictionary<(string Language, string Name), string> BuiltIn = typeof(ReplyTemplates).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
        .ToDictionary(name =>
        {
            // English is at the top of the folder ("help.sbn"), every other language in its own folder ("de/help.sbn").
            var path = name[ResourcePrefix.Length..^Extension.Length].Replace('\\', '/');
            var slash = path.LastIndexOf('/');
            return slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
        });

    /// <summary>The names of the built-in (English) templates, without <c>.sbn</c>: the templates SessionBot renders and includes.</summary>
    public static readonly IReadOnlyList<string> BuiltInNames = BuiltIn.Keys.Where(k => k.Language == "").Select(k => k.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The names of a language's own built-in templates (none for English: its templates are <see cref="BuiltInNames"/>).</summary>
    public static IReadOnlyList<string> BuiltInNamesIn(Language language) =>
        BuiltIn.Keys.Where(k => k.Language == language.Code).Select(k => k.Name).Order(StringComparer.Ordinal).ToArray();

    private readonly IReadOnlyDictionary<string, Template> parsed;

    private ReplyTemplates(ReplyTemplateLoader loader, IReadOnlyDictionary<string, Template> parsed)
    {
        Loader = loader;
        this.parsed = parsed;
    }

    internal ReplyTemplateLoader Loader { get; }

    /// <summary>The templates, or an exception saying everything that is wrong with them.</summary>
    public static ReplyTemplates Load(string? directory)
    {
        var (templates, problems) = Read(directory);
        return problems.Count == 0 ? templates : throw new InvalidOperationException(string.Join(" ", problems));
    }

    /// <summary>What is wrong with the templates <c>Templates:Directory</c> brings in; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(string? directory) => Read(directory).Problems;

    /// <summary>The template of this name (without <c>.sbn</c>) for a language, or null when there is none.</summary>
    internal Template? Get(string name, Language language) => Loader.PathOf(name, language) is { } path ? Parsed(path) : null;

    /// <summary>The template at a path <see cref="ReplyTemplateLoader"/> gave.</summary>
    internal Template? Parsed(string path) => parsed.GetValueOrDefault(path);

    /// <summary>The text of a built-in template: of a language ("de"), or of English at the top ("").</summary>
    public static string ReadBuiltIn(string language, string name)
    {
        var resource = BuiltIn.GetValueOrDefault((language, name))
            ?? throw new InvalidOperationException($"The built-in template '{ReplyTemplateLoader.Display(language, name)}' is missing from the build.");
        using var stream = typeof(ReplyTemplates).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static bool IsBuiltIn(string language, string name) => BuiltIn.ContainsKey((language, name));

    private static (ReplyTemplates Templates, IReadOnlyList<string> Problems) Read(string? directory)
    {
        var problems = new List<string>();
        var overrides = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory))
        {
            var handlebars = Directory.GetFiles(directory, "*.hbs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            if (handlebars.Length > 0)
                problems.Add($"Templates:Directory is invalid: it holds Handlebars templates ({string.Join(", ", handlebars)}), and SessionBot no longer reads them: "
                    + "its templates are now Scriban templates, <name>.sbn. Rewrite each as a .sbn file (outcome.hbs and confirm.hbs became one template per action, "
                    + "outcome-<action>.sbn and confirm-<action>.sbn; see src/SessionBot/Replies/Templates/README.md) and remove the .hbs files.");
            overrides[""] = Templates(directory);
            foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                var code = Path.GetFileName(folder);
                if (Languages.BuiltIn.Named(code) is not { } language)
                {
                    problems.Add($"Templates:Directory is invalid: the folder '{code}' is named like no language SessionBot speaks, so nothing would use its templates. "
                        + $"A folder of templates for one language is named like its strings file: {string.Join(", ", Languages.BuiltIn.All.Select(l => l.Code))}.");
                    continue;
                }
                overrides[language.Code] = Templates(folder);
            }
        }

        var loader = new ReplyTemplateLoader(directory, overrides);
        var parsed = new Dictionary<string, Template>();
        var includes = new List<(string Path, IReadOnlyList<Language> UsedBy, string Name, SourceSpan Span)>();
        var dynamicInclude = false;
        // Every template any language may render: the built-in ones (English at the top, each language's own), and the
        // folder's (at the top, for every language; in a language's folder, for that language).
        var all = BuiltIn.Keys.Select(k => (k.Language, k.Name, Path: ReplyTemplateLoader.BuiltInPath(k.Language, k.Name)))
            .Concat(overrides.SelectMany(o => o.Value.Select(name => (Language: o.Key, Name: name, Path: loader.OverridePath(o.Key, name)))))
            .OrderBy(t => t.Path, StringComparer.Ordinal);
        foreach (var (code, name, path) in all)
        {
            var template = Template.Parse(ReplyTemplateLoader.Read(path), ReplyTemplateLoader.Display(code, name));
            if (template.HasErrors)
            {
                problems.Add($"{Where(path, code, name)} does not parse: " + string.Join("; ", template.Messages.Select(m => $"{At(m.Span)}: {m.Message}")) + ".");
                continue;
            }
            parsed[path] = template;
            IReadOnlyList<Language> usedBy = code == "" ? Languages.BuiltIn.All : [Languages.BuiltIn.Named(code)!];
            foreach (var call in Includes(template.Page))
            {
                if (call.Arguments.FirstOrDefault() is ScriptLiteral { Value: string included })
                    includes.Add((path, usedBy, ReplyTemplateLoader.NameOf(included), call.Span));
                else
                    dynamicInclude = true;
            }
        }

        foreach (var (path, usedBy, name, span) in includes)
        {
            var missing = usedBy.Where(language => loader.PathOf(name, language) is null).ToArray();
            if (missing.Length == 0)
                continue;
            var (code, from) = loader.LanguageAndName(path);
            var forWhom = missing.Length == usedBy.Count ? "" : $" for {string.Join(", ", missing.Select(l => $"{l.Code} ({l.Name})"))}";
            problems.Add($"{Where(path, code, from)}: {At(span)}: include '{name}': there is no template '{name}{Extension}'{forWhom}, in Templates:Directory or built in.");
        }

        // A file in the folder that no reply renders and no template includes would be silently ignored.
        foreach (var (code, names) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var unused = names.Except(BuiltInNames).Where(name => !dynamicInclude && includes.All(i => i.Name != name)).Select(name => $"'{ReplyTemplateLoader.Display(code, name)}'").ToArray();
            if (unused.Length > 0)
                problems.Add($"Templates:Directory is invalid: {string.Join(", ", unused)} "
                    + $"{(unused.Length == 1 ? "is no template" : "are no templates")} SessionBot renders or any template includes, so nothing would use "
                    + $"{(unused.Length == 1 ? "it" : "them")}. The templates are: {string.Join(", ", BuiltInNames.Select(n => n + Extension))}.");
        }

        return (new ReplyTemplates(loader, parsed), problems);
    }

    private static IReadOnlySet<string> Templates(string folder) =>
        Directory.GetFiles(folder, "*" + Extension).Select(file => Path.GetFileNameWithoutExtension(file)!).ToHashSet(StringComparer.Ordinal);

    private static string Where(string path, string code, string name) => ReplyTemplateLoader.IsBuiltIn(path)
        ? $"The built-in template '{ReplyTemplateLoader.Display(code, name)}'"
        : $"Templates:Directory is invalid: the template '{ReplyTemplateLoader.Display(code, name)}'";

    /// <summary>Scriban counts lines and columns from 0; editors, from 1.</summary>
    private static string At(SourceSpan span) => $"line {span.Start.Line + 1}, column {span.Start.Column + 1}";

    /// <summary>Every <c>include</c> call in a template.</summary>
    private static IEnumerable<ScriptFunctionCall> Includes(ScriptNode? node)
    {
        if (node is null)
            yield break;
        if (node is ScriptFunctionCall { Target: ScriptVariable { Name: "include" } } call)
            yield return call;
        foreach (var child in node.Children)
        {
            foreach (var include in Includes(child))
                yield return include;
        }
    }
}

/// <summary>
/// Finds a template by name for the reader's language, as a reply or an <c>include 'name'</c> names it (with or without
/// <c>.sbn</c>): <c>Templates:Directory/&lt;locale&gt;/</c>, then <c>Templates:Directory</c>, then the language's built-in
/// one, then the English built-in one. The folder is listed once, at start-up.
/// </summary>
internal sealed class ReplyTemplateLoader(string? directory, IReadOnlyDictionary<string, IReadOnlySet<string>> overrides) : ITemplateLoader
{
    private const string BuiltInPrefix = "built-in:";

    /// <summary>Where the template of this name is read from for a language; null when there is none.</summary>
    public string? PathOf(string name, Language language)
    {
        name = NameOf(name);
        if (overrides.GetValueOrDefault(language.Code)?.Contains(name) == true)
            return OverridePath(language.Code, name);
        if (overrides.GetValueOrDefault("")?.Contains(name) == true)
            return OverridePath("", name);
        if (language != Languages.BuiltIn.English && ReplyTemplates.IsBuiltIn(language.Code, name))
            return BuiltInPath(language.Code, name);
        return ReplyTemplates.IsBuiltIn("", name) ? BuiltInPath("", name) : null;
    }

    public string OverridePath(string language, string name) =>
        Path.GetFullPath(language == "" ? Path.Combine(directory!, name + ReplyTemplates.Extension) : Path.Combine(directory!, language, name + ReplyTemplates.Extension));

    public static string BuiltInPath(string language, string name) => BuiltInPrefix + Display(language, name);

    /// <summary>A template as people name it: <c>help.sbn</c>, <c>de/help.sbn</c>.</summary>
    public static string Display(string language, string name) => (language == "" ? "" : language + "/") + name + ReplyTemplates.Extension;

    /// <summary>The language folder ("" for the top) and name of a template at a path this loader gave.</summary>
    public (string Language, string Name) LanguageAndName(string path)
    {
        if (IsBuiltIn(path))
            return BuiltInLanguageAndName(path);
        var folder = Path.GetDirectoryName(path)!;
        var name = Path.GetFileNameWithoutExtension(path);
        return Path.GetFullPath(folder) == Path.GetFullPath(directory!) ? ("", name) : (Path.GetFileName(folder), name);
    }

    private static (string Language, string Name) BuiltInLanguageAndName(string path)
    {
        var display = path[BuiltInPrefix.Length..^ReplyTemplates.Extension.Length];
        var slash = display.IndexOf('/');
        return slash < 0 ? ("", display) : (display[..slash], display[(slash + 1)..]);
    }

    public static string NameOf(string name) => name.EndsWith(ReplyTemplates.Extension, StringComparison.Ordinal) ? name[..^ReplyTemplates.Extension.Length] : name;

    public static bool IsBuiltIn(string path) => path.StartsWith(BuiltInPrefix, StringComparison.Ordinal);

    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) =>
        PathOf(templateName, ((ReplyContext)context).Reader.Language)
        ?? throw new ScriptRuntimeException(callerSpan, $"There is no template '{NameOf(templateName)}{ReplyTemplates.Extension}', in Templates:Directory or built in.");

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => Read(templatePath);

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => new(Read(templatePath));

    /// <summary>A template's text; Windows line ends become <c>\n</c>, as Mattermost writes them.</summary>
    public static string Read(string path)
    {
        if (!IsBuiltIn(path))
            return File.ReadAllText(path).Replace("\r\n", "\n");
        var (language, name) = BuiltInLanguageAndName(path);
        return ReplyTemplates.ReadBuiltIn(language, name).Replace("\r\n", "\n");
    }
}

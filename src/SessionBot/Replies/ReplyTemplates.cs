using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace SessionBot.Replies;

/// <summary>
/// The reply templates in force: each built-in one (<c>Replies/Templates/*.sbn</c>, embedded in the build), or the
/// file of the same name in <c>Templates:Directory</c>. All are read and parsed once, at start-up, where any problem
/// (a template that does not parse, an include of no template, an override nothing would use, Handlebars files left
/// from before) stops start-up.
/// </summary>
public sealed class ReplyTemplates
{
    public const string Extension = ".sbn";

    private const string ResourcePrefix = "SessionBot.Replies.Templates.";

    /// <summary>The names of the built-in templates, without <c>.sbn</c>.</summary>
    public static readonly IReadOnlyList<string> BuiltInNames = typeof(ReplyTemplates).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
        .Select(name => name[ResourcePrefix.Length..^Extension.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

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

    /// <summary>The template of this name (without <c>.sbn</c>), or null when there is none.</summary>
    internal Template? Get(string name) => Loader.PathOf(name) is { } path ? Parsed(path) : null;

    /// <summary>The template at a path <see cref="ReplyTemplateLoader"/> gave.</summary>
    internal Template? Parsed(string path) => parsed.GetValueOrDefault(path);

    private static (ReplyTemplates Templates, IReadOnlyList<string> Problems) Read(string? directory)
    {
        var problems = new List<string>();
        var overrides = Array.Empty<string>();
        if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory))
        {
            var handlebars = Directory.GetFiles(directory, "*.hbs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            if (handlebars.Length > 0)
                problems.Add($"Templates:Directory is invalid: it holds Handlebars templates ({string.Join(", ", handlebars)}), and SessionBot no longer reads them: "
                    + "its templates are now Scriban templates, <name>.sbn. Rewrite each as a .sbn file (outcome.hbs and confirm.hbs became one template per action, "
                    + "outcome-<action>.sbn and confirm-<action>.sbn; see src/SessionBot/Replies/Templates/README.md) and remove the .hbs files.");
            overrides = Directory.GetFiles(directory, "*" + Extension).Select(file => Path.GetFileNameWithoutExtension(file)!).Order(StringComparer.Ordinal).ToArray();
        }

        var loader = new ReplyTemplateLoader(directory, overrides);
        var parsed = new Dictionary<string, Template>();
        var includes = new List<(string From, string Name, SourceSpan Span)>();
        var dynamicInclude = false;
        foreach (var name in BuiltInNames.Union(overrides).Order(StringComparer.Ordinal))
        {
            var path = loader.PathOf(name)!;
            var template = Template.Parse(ReplyTemplateLoader.Read(path), name + Extension);
            if (template.HasErrors)
            {
                problems.Add($"{Where(loader, name)} does not parse: " + string.Join("; ", template.Messages.Select(m => $"{At(m.Span)}: {m.Message}")) + ".");
                continue;
            }
            parsed[path] = template;
            foreach (var call in Includes(template.Page))
            {
                if (call.Arguments.FirstOrDefault() is ScriptLiteral { Value: string included })
                    includes.Add((name, ReplyTemplateLoader.NameOf(included), call.Span));
                else
                    dynamicInclude = true;
            }
        }

        foreach (var (from, name, span) in includes.Where(i => loader.PathOf(i.Name) is null))
            problems.Add($"{Where(loader, from)}: {At(span)}: include '{name}': there is no template '{name}{Extension}', in Templates:Directory or built in.");

        // A file in the folder that no reply renders and no template includes would be silently ignored.
        var unused = overrides.Except(BuiltInNames).Where(name => !dynamicInclude && includes.All(i => i.Name != name)).ToArray();
        if (unused.Length > 0)
            problems.Add($"Templates:Directory is invalid: {string.Join(", ", unused.Select(name => $"'{name}{Extension}'"))} "
                + $"{(unused.Length == 1 ? "is no template" : "are no templates")} SessionBot renders or any template includes, so nothing would use "
                + $"{(unused.Length == 1 ? "it" : "them")}. The templates are: {string.Join(", ", BuiltInNames.Select(name => name + Extension))}.");

        return (new ReplyTemplates(loader, parsed), problems);
    }

    private static string Where(ReplyTemplateLoader loader, string name) =>
        ReplyTemplateLoader.IsBuiltIn(loader.PathOf(name)!) ? $"The built-in template '{name}{Extension}'" : $"Templates:Directory is invalid: the template '{name}{Extension}'";

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
/// Finds a template by name, as a reply or an <c>include 'name'</c> names it (with or without <c>.sbn</c>): the file
/// in <c>Templates:Directory</c> first, then the built-in one. The folder is listed once, at start-up.
/// </summary>
internal sealed class ReplyTemplateLoader(string? directory, IReadOnlyCollection<string> overrides) : ITemplateLoader
{
    private const string BuiltIn = "built-in:";

    /// <summary>Where the template of this name is read from; null when there is none.</summary>
    public string? PathOf(string name)
    {
        name = NameOf(name);
        if (overrides.Contains(name))
            return Path.GetFullPath(Path.Combine(directory!, name + ReplyTemplates.Extension));
        return ReplyTemplates.BuiltInNames.Contains(name) ? BuiltIn + name : null;
    }

    public static string NameOf(string name) => name.EndsWith(ReplyTemplates.Extension, StringComparison.Ordinal) ? name[..^ReplyTemplates.Extension.Length] : name;

    public static bool IsBuiltIn(string path) => path.StartsWith(BuiltIn, StringComparison.Ordinal);

    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) =>
        PathOf(templateName) ?? throw new ScriptRuntimeException(callerSpan, $"There is no template '{NameOf(templateName)}{ReplyTemplates.Extension}', in Templates:Directory or built in.");

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => Read(templatePath);

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => new(Read(templatePath));

    /// <summary>A template's text; Windows line ends become <c>\n</c>, as Mattermost writes them.</summary>
    public static string Read(string path)
    {
        if (!IsBuiltIn(path))
            return File.ReadAllText(path).Replace("\r\n", "\n");
        var name = path[BuiltIn.Length..];
        using var stream = typeof(ReplyTemplates).Assembly.GetManifestResourceStream($"SessionBot.Replies.Templates.{name}{ReplyTemplates.Extension}")
            ?? throw new InvalidOperationException($"The built-in template '{name}{ReplyTemplates.Extension}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}

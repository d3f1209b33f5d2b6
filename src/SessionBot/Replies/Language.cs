using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Humanizer;

namespace SessionBot.Replies;

/// <summary>
/// A language replies are written in, read from <c>Replies/Strings/&lt;code&gt;.json</c>: its culture (how numbers are
/// written; the language of Humanizer's relative times), its plural rule, and the text the C# code makes (refusal
/// reasons, usage problems, failures, help lines, session kinds, button labels). A string the file lacks is said in
/// English. Its templates are <c>Replies/Templates/&lt;code&gt;/</c>.
/// </summary>
public sealed class Language
{
    private readonly IReadOnlyDictionary<string, string> strings;
    private readonly Language? fallback;

    internal Language(string code, string name, CultureInfo culture, PluralRule plural, IReadOnlyDictionary<string, string> strings, Language? fallback)
    {
        Code = code;
        Name = name;
        Culture = culture;
        Plural = plural;
        this.strings = strings;
        this.fallback = fallback;
    }

    /// <summary>The file's name: <c>en</c>, <c>de</c>, <c>pt-br</c> (as Mattermost writes the locale, lower-case).</summary>
    public string Code { get; }

    /// <summary>The language's own name for itself (<c>Deutsch</c>).</summary>
    public string Name { get; }

    public CultureInfo Culture { get; }

    public PluralRule Plural { get; }

    /// <summary>The keys this language's own file has (not those it takes from English).</summary>
    public IReadOnlyCollection<string> Keys => strings.Keys.ToArray();

    /// <summary>The text under a key in this language's own file, or null.</summary>
    public string? Own(string key) => strings.GetValueOrDefault(key);

    /// <summary>The phrase in this language: its text with the arguments in it (numbers as the culture writes them).</summary>
    public string Say(Phrase phrase)
    {
        if (phrase.Key is not { } key)
            return phrase.Text;
        var text = strings.GetValueOrDefault(key) ?? fallback?.Own(key)
            ?? throw new InvalidOperationException($"There is no string '{key}' in Replies/Strings/{Code}.json{(fallback is null ? "" : " or en.json")}.");
        if (phrase.Args.Count == 0)
            return text;
        return string.Format(Culture, text, phrase.Args.Select(arg => arg switch
        {
            Phrase inner => Say(inner),
            // A duration in words, in the language and its plural: "1 minute", "2 minutes, 30 seconds", "5 Minuten".
            TimeSpan span => span.Humanize(precision: 2, culture: Culture),
            _ => arg,
        }).ToArray());
    }

    /// <summary>Shorthand for <see cref="Say(Phrase)"/> of <see cref="Phrase.Of"/>.</summary>
    public string Say(string key, params object[] args) => Say(Phrase.Of(key, args));

    /// <summary>A count as the culture writes it, grouped: <c>1,234</c>, <c>1.234</c>, <c>1 234</c>.</summary>
    public string Number(long count) => count.ToString("N0", Culture);

    public override string ToString() => Code;
}

/// <summary>
/// The languages SessionBot speaks: every <c>Replies/Strings/&lt;code&gt;.json</c> built into it. Adding a language is
/// adding that file and the folder <c>Replies/Templates/&lt;code&gt;/</c>: no code.
/// </summary>
public sealed partial class Languages
{
    private const string ResourcePrefix = "SessionBot.Replies.Strings.";
    private const string Extension = ".json";

    /// <summary>The keys whose English text an audit record's reason may hold, so that a stored reason can be said in another language.</summary>
    private static readonly string[] ReasonGroups = ["policy.", "reason."];

    private readonly Dictionary<string, Language> byCode;
    private readonly (Regex Pattern, string Key)[] reasons;

    private Languages(Language english, IEnumerable<Language> others)
    {
        English = english;
        byCode = new Dictionary<string, Language>(StringComparer.OrdinalIgnoreCase) { [english.Code] = english };
        foreach (var language in others)
            byCode[language.Code] = language;
        reasons = english.Keys.Where(key => ReasonGroups.Any(group => key.StartsWith(group, StringComparison.Ordinal)))
            .Select(key => (new Regex("^" + Placeholder().Replace(Regex.Escape(english.Own(key)!), "(.+)") + "$", RegexOptions.Singleline), key))
            .ToArray();
    }

    /// <summary>The languages built into SessionBot.</summary>
    public static Languages BuiltIn { get; } = Load();

    /// <summary>The fallback: every string of every other language is in it.</summary>
    public Language English { get; }

    /// <summary>Every language, English first, then by code.</summary>
    public IReadOnlyList<Language> All => [English, .. byCode.Values.Where(l => l != English).OrderBy(l => l.Code, StringComparer.Ordinal)];

    /// <summary>The language of a Mattermost locale (<c>de</c>, <c>pt-br</c>, <c>zh-CN</c>), or of its base language (<c>de-at</c> → <c>de</c>); English when SessionBot does not speak it.</summary>
    public Language Find(string? locale) => TryFind(locale, out var language) ? language : English;

    /// <summary>Whether SessionBot speaks the locale (or its base language).</summary>
    public bool TryFind(string? locale, out Language language)
    {
        var code = (locale ?? "").Trim().Replace('_', '-');
        if (byCode.TryGetValue(code, out language!))
            return true;
        var dash = code.IndexOf('-');
        if (dash > 0 && byCode.TryGetValue(code[..dash], out language!))
            return true;
        language = English;
        return false;
    }

    /// <summary>The language whose file is named exactly <paramref name="code"/> (a template folder's name), or null.</summary>
    public Language? Named(string code) => byCode.GetValueOrDefault(code);

    /// <summary>
    /// A reason as an audit record keeps it (in English) as a phrase: the bot's own reasons can then be said in the
    /// reader's language, whatever they name; any other text is said as it is.
    /// </summary>
    public Phrase Recognize(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return Phrase.None;
        foreach (var (pattern, key) in reasons)
        {
            var match = pattern.Match(stored);
            if (match.Success)
                return Phrase.Of(key, match.Groups.Values.Skip(1).Select(g => (object)g.Value).ToArray());
        }
        return Phrase.Verbatim(stored);
    }

    [GeneratedRegex(@"\\\{[0-9]+}")]
    private static partial Regex Placeholder();

    private static Languages Load()
    {
        var assembly = typeof(Languages).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
            .ToDictionary(name => name[ResourcePrefix.Length..^Extension.Length], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return JsonDocument.Parse(stream).RootElement.Clone();
            }, StringComparer.OrdinalIgnoreCase);
        if (!files.TryGetValue("en", out var englishFile))
            throw new InvalidOperationException("Replies/Strings/en.json is missing from the build.");
        var english = Read("en", englishFile, null);
        return new Languages(english, files.Where(f => !f.Key.Equals("en", StringComparison.OrdinalIgnoreCase)).Select(f => Read(f.Key.ToLowerInvariant(), f.Value, english)));
    }

    /// <summary>One strings file: <c>{ "name", "culture", "plural": { category: rule }, "strings": { key: text } }</c>.</summary>
    private static Language Read(string code, JsonElement file, Language? english)
    {
        try
        {
            var plural = file.GetProperty("plural").EnumerateObject().Select(p => (p.Name, p.Value.GetString() ?? "")).ToArray();
            var strings = file.GetProperty("strings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            return new Language(code, file.GetProperty("name").GetString() ?? code, CultureOf(file.GetProperty("culture").GetString() ?? code), PluralRule.Parse(plural), strings, english);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"Replies/Strings/{code}.json is invalid: {e.Message}", e);
        }
    }

    /// <summary>
    /// The culture's data (number formats) comes from ICU. Where the process runs without it (invariant globalization),
    /// the culture still carries its name (the project turns PredefinedCulturesOnly off), which is all Humanizer needs to
    /// find its words; numbers are then written the invariant way.
    /// </summary>
    private static CultureInfo CultureOf(string name)
    {
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: false);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }
}

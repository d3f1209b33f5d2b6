using System.Text.RegularExpressions;
using SessionBot.Replies;

namespace SessionBot.Tests.Replies;

/// <summary>
/// Every language is complete: each string and template English has, with the same placeholders, and nothing English
/// lacks. A translation that misses one fails here, not in front of a user (who would read that one string in English).
/// </summary>
public partial class LanguageFilesTests
{
    private static Language English => Languages.BuiltIn.English;

    public static TheoryData<string> Translations => new(Languages.BuiltIn.All.Where(l => l != English).Select(l => l.Code));

    [Fact]
    public void SessionBotSpeaksEnglishGermanFrenchAndSpanish() =>
        Assert.Equal(["en", "de", "es", "fr"], Languages.BuiltIn.All.Select(l => l.Code));

    [Theory]
    [MemberData(nameof(Translations))]
    public void ATranslationHasEveryStringTheEnglishOneHasAndNoOther(string code)
    {
        var language = Languages.BuiltIn.Named(code)!;
        var missing = English.Keys.Except(language.Keys).Order(StringComparer.Ordinal).ToArray();
        var unknown = language.Keys.Except(English.Keys).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"Replies/Strings/{code}.json lacks: {string.Join(", ", missing)}");
        Assert.True(unknown.Length == 0, $"Replies/Strings/{code}.json has strings English does not (misspelt keys?): {string.Join(", ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void ATranslatedStringHasThePlaceholdersOfTheEnglishOne(string code)
    {
        var language = Languages.BuiltIn.Named(code)!;
        var different = English.Keys
            .Where(key => language.Own(key) is { } text && !Placeholders(text).SetEquals(Placeholders(English.Own(key)!)))
            .Select(key => $"{key}: \"{language.Own(key)}\" (English: \"{English.Own(key)}\")")
            .ToArray();
        Assert.True(different.Length == 0, string.Join("\n", different));
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void ATranslationHasEveryTemplateTheEnglishOneHasAndNoOther(string code)
    {
        var language = Languages.BuiltIn.Named(code)!;
        Assert.Equal(ReplyTemplates.BuiltInNames, ReplyTemplates.BuiltInNamesIn(language));
    }

    /// <summary>A template copied from English and not translated would pass the other checks.</summary>
    [Theory]
    [MemberData(nameof(Translations))]
    public void ATranslatedTemplateIsWrittenInItsLanguage(string code)
    {
        var language = Languages.BuiltIn.Named(code)!;
        var untranslated = ReplyTemplates.BuiltInNames
            .Where(name => Words(ReplyTemplates.ReadBuiltIn("", name)).Length > 0 && Words(ReplyTemplates.ReadBuiltIn(language.Code, name)) == Words(ReplyTemplates.ReadBuiltIn("", name)))
            .ToArray();
        Assert.True(untranslated.Length == 0, $"still in English in Replies/Templates/{code}/: {string.Join(", ", untranslated)}");
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void ATranslatedStringIsWrittenInItsLanguage(string code)
    {
        // Names and words every language writes alike.
        string[] same = ["button.revoke-session", "usage.unknown-command", "label.access-token", "session.oauth", "session.android-browser", "session.ios", "session.android",
            "session.desktop", "session.token", "session.bot-token", "session.browser", "reason.no-user", "record.refused", "record.failed", "click.cancelled"];
        var language = Languages.BuiltIn.Named(code)!;
        var untranslated = English.Keys.Where(key => !same.Contains(key) && language.Own(key) == English.Own(key)).ToArray();
        Assert.True(untranslated.Length == 0, $"still in English in Replies/Strings/{code}.json: {string.Join(", ", untranslated)}");
    }

    /// <summary>Relative times are Humanizer's: each language needs its <c>Humanizer.Core.&lt;culture&gt;</c> package.</summary>
    [Theory]
    [MemberData(nameof(Translations))]
    public void HumanizerWritesRelativeTimesInEveryLanguage(string code)
    {
        var twoHoursAgo = TestData.Now.AddHours(-2);
        Assert.NotEqual(Reader.Person.Ago(twoHoursAgo, TestData.Now), Reader.PersonIn(code).Ago(twoHoursAgo, TestData.Now));
    }

    [Fact]
    public void EveryLanguageWritesNumbersTheWayItsCultureDoes()
    {
        Assert.Equal(["1,234", "1.234", "1.234", "1\u202F234"], Languages.BuiltIn.All.Select(l => l.Number(1234)));
    }

    /// <summary>CLDR's rules, as a language file writes them: a language with more forms than one and other needs no code.</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(12, 2)]
    [InlineData(22, 1)]
    [InlineData(0, 2)]
    [InlineData(101, 2)]
    public void PluralRulesAreReadAsCldrWritesThem(long count, int form)
    {
        // Polish: one, few, many (and other, for fractions).
        var polish = PluralRule.Parse([
            ("one", "i = 1 and v = 0 @integer 1"),
            ("few", "v = 0 and i % 10 = 2..4 and i % 100 != 12..14 @integer 2~4, 22~24"),
            ("many", "v = 0 and i != 1 and i % 10 = 0..1 or v = 0 and i % 10 = 5..9 or v = 0 and i % 100 = 12..14"),
            ("other", ""),
        ]);
        Assert.Equal(form, polish.IndexOf(count));
    }

    [Fact]
    public void FrenchTakesTheSingularForZeroAndOne()
    {
        var french = Languages.BuiltIn.Named("fr")!.Plural;
        Assert.Equal([0, 0, 1], new long[] { 0, 1, 2 }.Select(french.IndexOf));
        Assert.Equal([1, 0, 1], new long[] { 0, 1, 2 }.Select(English.Plural.IndexOf));
    }

    [GeneratedRegex(@"\{[0-9]+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet();

    /// <summary>A template's own words: what is left of it without its code.</summary>
    private static string Words(string template) => Regex.Replace(Regex.Replace(template, @"\{\{.*?\}\}", " ", RegexOptions.Singleline), @"\s+", " ").Trim();
}

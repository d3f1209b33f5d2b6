using System.Globalization;
using System.Text.RegularExpressions;

namespace SessionBot.Replies;

/// <summary>
/// A language's plural categories and the rule for each (CLDR's plural rules, written as CLDR writes them:
/// <c>"one": "i = 1 and v = 0"</c>, <c>"few": "n % 10 = 2..4 and n % 100 != 12..14"</c>), for whole numbers: the counts
/// replies say. The last category (<c>other</c>) takes every count no rule before it takes. A language file brings its
/// rules, so adding a language with other plural forms needs no code.
/// </summary>
public sealed partial class PluralRule
{
    private readonly (string Category, Func<long, bool> Matches)[] categories;

    private PluralRule((string, Func<long, bool>)[] categories) => this.categories = categories;

    /// <summary>The categories in the order the language file lists them: the order of <c>plural</c>'s forms in templates.</summary>
    public IReadOnlyList<string> Categories => categories.Select(c => c.Category).ToArray();

    /// <summary>The position of the category <paramref name="count"/> falls in.</summary>
    public int IndexOf(long count)
    {
        for (var i = 0; i < categories.Length - 1; i++)
        {
            if (categories[i].Matches(count))
                return i;
        }
        return categories.Length - 1;
    }

    /// <summary>Reads <c>category → condition</c> pairs; the last one's condition, if any, is ignored (it is "everything else").</summary>
    public static PluralRule Parse(IReadOnlyList<(string Category, string Condition)> rules)
    {
        if (rules.Count == 0)
            throw new FormatException("a language needs at least one plural category (\"other\").");
        return new PluralRule(rules.Select((rule, i) => (rule.Category, i == rules.Count - 1 ? (Func<long, bool>)(_ => true) : Condition(rule.Condition))).ToArray());
    }

    [GeneratedRegex(@"^\s*([nivwftce])\s*(?:%\s*(\d+))?\s*(!=|=)\s*([0-9.,\s]+)$")]
    private static partial Regex Relation();

    private static Func<long, bool> Condition(string text)
    {
        // CLDR appends samples ("@integer 1, 21, 31, …"): they are not part of the rule.
        var rule = text.Split('@')[0].Trim();
        if (rule.Length == 0)
            throw new FormatException("a plural category other than the last needs a condition.");
        var alternatives = rule.Split(" or ").Select(alternative => alternative.Split(" and ").Select(RelationOf).ToArray()).ToArray();
        return n => alternatives.Any(all => all.All(relation => relation(n)));
    }

    private static Func<long, bool> RelationOf(string text)
    {
        var match = Relation().Match(text);
        if (!match.Success)
            throw new FormatException($"'{text.Trim()}' is not a plural rule relation (e.g. 'n % 10 = 2..4').");
        var operand = match.Groups[1].Value;
        long? modulo = match.Groups[2].Success ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        var equals = match.Groups[3].Value == "=";
        var ranges = match.Groups[4].Value.Split(',').Select(item =>
        {
            var bounds = item.Trim().Split("..");
            var low = long.Parse(bounds[0], CultureInfo.InvariantCulture);
            return (Low: low, High: bounds.Length > 1 ? long.Parse(bounds[1], CultureInfo.InvariantCulture) : low);
        }).ToArray();
        return n =>
        {
            // A whole number: n and i are the number, the operands of its fraction (v, w, f, t) and exponent (c, e) are 0.
            var value = operand is "n" or "i" ? Math.Abs(n) : 0;
            if (modulo is { } m)
                value %= m;
            return ranges.Any(r => value >= r.Low && value <= r.High) == equals;
        };
    }
}

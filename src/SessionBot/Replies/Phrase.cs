namespace SessionBot.Replies;

/// <summary>
/// Text the bot says, in whatever language the reply is read in: a key of <c>Replies/Strings/&lt;locale&gt;.json</c> with
/// its arguments, said when the reply is rendered (<see cref="Language.Say(Phrase)"/>). Text that is not the bot's own
/// (a token's description, what was typed, Mattermost's words) is a phrase too, said as it is. Audit records and logs
/// keep the English (<see cref="English"/>), as they always did.
/// </summary>
public sealed class Phrase
{
    private Phrase(string? key, IReadOnlyList<object> args, string text)
    {
        Key = key;
        Args = args;
        Text = text;
    }

    /// <summary>Nothing to say.</summary>
    public static readonly Phrase None = new(null, [], "");

    /// <summary>The key in the strings files; null for text said as it is.</summary>
    public string? Key { get; }

    /// <summary>What goes into the text's <c>{0}</c>, <c>{1}</c>, …: text, numbers (written the language's way), or phrases.</summary>
    public IReadOnlyList<object> Args { get; }

    /// <summary>The text said as it is (for a phrase with no key).</summary>
    internal string Text { get; }

    public bool IsEmpty => Key is null && Text.Length == 0;

    /// <summary>The bot's text under <paramref name="key"/> in <c>Replies/Strings/&lt;locale&gt;.json</c>.</summary>
    public static Phrase Of(string key, params object[] args) => new(key, args, "");

    /// <summary>Text that is not the bot's to translate (typed, from Mattermost, a name): said as it is in every language.</summary>
    public static Phrase Verbatim(string? text) => string.IsNullOrEmpty(text) ? None : new(null, [], text);

    /// <summary>Any text may stand where a phrase is expected, said as it is.</summary>
    public static implicit operator Phrase(string? text) => Verbatim(text);

    /// <summary>In English: what audit records and logs keep.</summary>
    public string English => Languages.BuiltIn.English.Say(this);

    public override string ToString() => English;
}

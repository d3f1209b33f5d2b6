namespace SessionBot.Audit;

/// <summary>The command as it is kept in the audit record: one line, bounded, with secret-looking words removed.</summary>
public static class AuditText
{
    private const int MaxLength = 500;
    private const string Redacted = "[redacted]";

    /// <param name="resolved">
    /// The ids (lower-case) the command turned out to name: users found, the session matched, the token Mattermost knows.
    /// Any other 26-character word is redacted: it may be a token value pasted by mistake, which looks just like an id.
    /// </param>
    public static string Of(string trigger, string text, IReadOnlySet<string> resolved)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => LooksLikeSecret(w) || (LooksLikeId(w) && !resolved.Contains(w.ToLowerInvariant())) ? Redacted : w);
        var line = new string($"/{trigger} {string.Join(' ', words)}".Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return line.Length <= MaxLength ? line : line[..MaxLength] + "…";
    }

    /// <summary>
    /// Typed text kept apart from the command (the <c>--reason</c>): every word that looks like an id or a secret is
    /// redacted, as no id in it was resolved, and control characters become spaces.
    /// </summary>
    public static string RedactOpaqueWords(string text) =>
        string.Join(' ', text.Split(' ').Select(w => LooksLikeSecret(w) || LooksLikeId(w) ? Redacted : new string(w.Select(c => char.IsControl(c) ? ' ' : c).ToArray())));

    /// <summary>Mattermost's ids and its tokens alike are 26 letters and digits.</summary>
    private static bool LooksLikeId(string word) => word.Length == 26 && word.All(char.IsAsciiLetterOrDigit);

    /// <summary>Longer opaque strings (bearer tokens, keys pasted by mistake) are never kept.</summary>
    private static bool LooksLikeSecret(string word) =>
        word.Length > 26 && !word.Contains('@') && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=' or '+' or '/');
}

namespace SessionBot.Audit;

/// <summary>The command as it is kept in the audit record: one line, bounded, with secret-looking words removed.</summary>
public static class AuditText
{
    private const int MaxLength = 500;

    public static string Of(string trigger, string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => LooksLikeSecret(w) ? "[redacted]" : w);
        var line = new string($"/{trigger} {string.Join(' ', words)}".Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return line.Length <= MaxLength ? line : line[..MaxLength] + "…";
    }

    /// <summary>
    /// Ids are 26 lower-case letters and digits and are kept (they say what was acted on). Longer opaque strings
    /// (bearer tokens, keys pasted by mistake) are not kept.
    /// </summary>
    private static bool LooksLikeSecret(string word) =>
        word.Length > 26 && !word.Contains('@') && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=' or '+' or '/');
}

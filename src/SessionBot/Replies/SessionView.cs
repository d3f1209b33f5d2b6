using SessionBot.Mattermost;

namespace SessionBot.Replies;

/// <summary>
/// One session as a person reads it, in their language: relative times, and when it expires in their time zone
/// (<see cref="ExpiresAt"/>, empty for a session that never expires). Holds no token, no csrf, no raw props.
/// </summary>
public sealed record SessionView(string ShortId, string Kind, string Details, string SignedIn, string LastActive, string Expires, bool IsExpired)
{
    /// <summary>Untrusted props are shortened so one session cannot fill a reply.</summary>
    private const int MaxDetailLength = 60;

    /// <summary>When the session expires, as an absolute time in the reader's zone with its offset; empty when it never does.</summary>
    public string ExpiresAt { get; init; } = "";

    /// <param name="reader">Whose language and zone; none: English, UTC.</param>
    public static SessionView From(MattermostSession session, int shortIdLength, DateTimeOffset now, Reader? reader = null)
    {
        reader ??= Reader.Person;
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(session.ExpiresAt);
        var isExpired = session.ExpiresAt > 0 && expiresAt <= now;
        // An access token's session "expires" a century on: in effect, when the token is revoked.
        var whenRevoked = session.Props.IsAccessToken && expiresAt > now.AddYears(10);
        return new SessionView(
            ShortId: session.Id[..Math.Min(shortIdLength, session.Id.Length)],
            Kind: KindOf(session, reader.Language),
            Details: DetailsOf(session),
            SignedIn: reader.Ago(DateTimeOffset.FromUnixTimeMilliseconds(session.CreateAt), now),
            LastActive: reader.Ago(DateTimeOffset.FromUnixTimeMilliseconds(session.LastActivityAt), now),
            Expires: session.ExpiresAt <= 0 ? reader.Say("time.never") : whenRevoked ? reader.Say("time.until-revoked") : reader.Ago(expiresAt, now),
            IsExpired: isExpired)
        {
            ExpiresAt = session.ExpiresAt <= 0 || whenRevoked ? "" : reader.Time(expiresAt),
        };
    }

    /// <summary>Names the device the way Mattermost's own Active Sessions page does, so people recognise it (none: in English).</summary>
    public static string KindOf(MattermostSession session, Language? language = null)
    {
        language ??= Languages.BuiltIn.English;
        var props = session.Props;
        if (props.IsAccessToken)
            return language.Say(props.IsBot == "true" ? "session.bot-token" : "session.token");
        if (session.IsOauth)
            return language.Say("session.oauth");
        var device = session.DeviceId;
        if (device.Contains("apple", StringComparison.OrdinalIgnoreCase))
            return language.Say(device.StartsWith("apple_rn", StringComparison.OrdinalIgnoreCase) ? "session.ios" : "session.ios-classic");
        if (device.Contains("android", StringComparison.OrdinalIgnoreCase))
            return language.Say(device.StartsWith("android_rn", StringComparison.OrdinalIgnoreCase) ? "session.android" : "session.android-classic");
        if (props.Browser.Contains("Desktop App", StringComparison.OrdinalIgnoreCase))
            return language.Say("session.desktop");
        var platform = props.Platform;
        if (platform == "Linux" && props.Os.Contains("Android", StringComparison.OrdinalIgnoreCase))
            return language.Say("session.android-browser");
        return platform switch
        {
            "" => language.Say("session.browser"),
            "Macintosh" => language.Say("session.browser-mac"),
            _ => language.Say("session.browser-on", Shorten(platform)),
        };
    }

    private static string DetailsOf(MattermostSession session)
    {
        var parts = new[] { session.Props.Os, session.Props.Browser }
            .Select(value => value.Trim())
            .Where(value => value.Length > 0)
            .Select(Shorten);
        return string.Join(", ", parts);
    }

    private static string Shorten(string value) =>
        value.Length <= MaxDetailLength ? value : value[..(char.IsHighSurrogate(value[MaxDetailLength - 1]) ? MaxDetailLength - 1 : MaxDetailLength)] + "…";

    /// <summary>Shortest id prefix (at least 8 characters) that tells every session in the list apart.</summary>
    public static int ShortIdLength(IReadOnlyList<MattermostSession> sessions)
    {
        var ids = sessions.Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        var length = 8;
        for (var i = 1; i < ids.Length; i++)
        {
            var common = 0;
            while (common < ids[i].Length && common < ids[i - 1].Length && ids[i][common] == ids[i - 1][common])
                common++;
            length = Math.Max(length, common + 1);
        }
        return Math.Min(length, 26);
    }
}

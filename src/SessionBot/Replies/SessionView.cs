using SessionBot.Mattermost;

namespace SessionBot.Replies;

/// <summary>One session as a person reads it. Holds no token, no csrf, no raw props.</summary>
public sealed record SessionView(string ShortId, string Kind, string Details, string SignedIn, string LastActive, string Expires, bool IsExpired)
{
    /// <summary>Untrusted props are shortened so one session cannot fill a reply.</summary>
    private const int MaxDetailLength = 60;

    public static SessionView From(MattermostSession session, int shortIdLength, DateTimeOffset now)
    {
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(session.ExpiresAt);
        var isExpired = session.ExpiresAt > 0 && expiresAt <= now;
        return new SessionView(
            ShortId: session.Id[..Math.Min(shortIdLength, session.Id.Length)],
            Kind: KindOf(session),
            Details: DetailsOf(session),
            SignedIn: RelativeTime.Describe(DateTimeOffset.FromUnixTimeMilliseconds(session.CreateAt), now),
            LastActive: RelativeTime.Describe(DateTimeOffset.FromUnixTimeMilliseconds(session.LastActivityAt), now),
            Expires: session.ExpiresAt <= 0 ? "never" : session.Props.IsAccessToken && expiresAt > now.AddYears(10) ? "when the token is revoked" : RelativeTime.Describe(expiresAt, now),
            IsExpired: isExpired);
    }

    /// <summary>Names the device the way Mattermost's own Active Sessions page does, so people recognise it.</summary>
    public static string KindOf(MattermostSession session)
    {
        var props = session.Props;
        if (props.IsAccessToken)
            return props.IsBot == "true" ? "Bot access token" : "Access token";
        if (session.IsOauth)
            return "OAuth app";
        var device = session.DeviceId;
        if (device.Contains("apple", StringComparison.OrdinalIgnoreCase))
            return device.StartsWith("apple_rn", StringComparison.OrdinalIgnoreCase) ? "iOS app" : "iOS app (classic)";
        if (device.Contains("android", StringComparison.OrdinalIgnoreCase))
            return device.StartsWith("android_rn", StringComparison.OrdinalIgnoreCase) ? "Android app" : "Android app (classic)";
        if (props.Browser.Contains("Desktop App", StringComparison.OrdinalIgnoreCase))
            return "Desktop app";
        var platform = props.Platform;
        if (platform == "Linux" && props.Os.Contains("Android", StringComparison.OrdinalIgnoreCase))
            return "Android browser";
        return platform switch
        {
            "" => "Web browser",
            "Macintosh" => "Web browser on Mac",
            _ => $"Web browser on {Shorten(platform)}",
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

/// <summary>"5 min ago", "in 29 days".</summary>
public static class RelativeTime
{
    public static string Describe(DateTimeOffset when, DateTimeOffset now)
    {
        if (when.ToUnixTimeMilliseconds() <= 0)
            return "unknown";
        var span = now - when;
        var future = span < TimeSpan.Zero;
        var amount = Amount(future ? -span : span);
        return amount == "just now" ? amount : future ? $"in {amount}" : $"{amount} ago";
    }

    private static string Amount(TimeSpan span) => span switch
    {
        { TotalSeconds: < 60 } => "just now",
        { TotalMinutes: < 60 } => Unit((int)span.TotalMinutes, "min", "min"),
        { TotalHours: < 24 } => Unit((int)span.TotalHours, "hour", "hours"),
        { TotalDays: < 60 } => Unit((int)span.TotalDays, "day", "days"),
        { TotalDays: < 730 } => Unit((int)(span.TotalDays / 30.44), "month", "months"),
        _ => Unit((int)(span.TotalDays / 365.25), "year", "years"),
    };

    private static string Unit(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}

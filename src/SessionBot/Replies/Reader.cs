using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Humanizer;

namespace SessionBot.Replies;

/// <summary>
/// Who reads a reply, a parameter of every render: everyone in the channel (a post: an outgoing webhook's answer, an
/// ops-channel notice), where usernames stand in code spans so that naming someone notifies nobody, or one person (an
/// ephemeral reply to a slash command or a click); the language the reply is written in; and the time zone its
/// absolute times are shown in (none: UTC).
/// </summary>
public sealed partial record Reader(bool IsPublic, Language Language, TimeZoneInfo? TimeZone = null)
{
    /// <summary>A post everyone in the channel sees, in English, times in UTC.</summary>
    public static Reader Public { get; } = new(IsPublic: true, Languages.BuiltIn.English);

    /// <summary>An ephemeral reply only the person who asked sees, in English, times in UTC.</summary>
    public static Reader Person { get; } = new(IsPublic: false, Languages.BuiltIn.English);

    /// <summary>One person who reads Mattermost in <paramref name="locale"/>, in the zone of that IANA name (none or unknown: UTC).</summary>
    public static Reader PersonIn(string? locale, string? timeZone = null) => new(IsPublic: false, Languages.BuiltIn.Find(locale), Zone(timeZone));

    public string Say(Phrase phrase) => Language.Say(phrase);

    public string Say(string key, params object[] args) => Language.Say(key, args);

    /// <summary>A time relative to now, in the reader's language ("12 days ago", "vor 12 Tagen", "dans 3 jours").</summary>
    public string Ago(DateTimeOffset when, DateTimeOffset now) => RelativeTime.Describe(when, now, Language);

    /// <summary>
    /// An absolute time in the reader's zone with its offset (<c>2026-11-22 20:55:00 +09:00</c>); in UTC when the reader
    /// has no zone (<c>2026-11-22 11:55:00 UTC</c>). The same digits in every language: no one misreads them.
    /// </summary>
    public string Time(DateTimeOffset at) => TimeZone is null
        ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
        : TimeZoneInfo.ConvertTime(at, TimeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$")]
    private static partial Regex ZoneName();

    /// <summary>
    /// The zone of an IANA name as Mattermost stores it (<c>Asia/Tokyo</c>, read from the system's tz database); null
    /// for none, or a name that is no zone. A manual zone is typed by the user, so a name is looked up only when it has
    /// the shape of one.
    /// </summary>
    public static TimeZoneInfo? Zone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || !ZoneName().IsMatch(name))
            return null;
        if (Zones.TryGetValue(name, out var known))
            return known;
        TimeZoneInfo? zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
        }
        // Names come from users: the cache stays small whatever they type.
        if (Zones.Count > 1000)
            Zones.Clear();
        return Zones[name] = zone;
    }
}

/// <summary>Relative times through Humanizer, in the language of the reply: "5 minutes ago", "vor 12 Tagen", "hace 5 minutos".</summary>
public static class RelativeTime
{
    /// <summary>Within a minute either way a moment is "now" ("jetzt", "maintenant", "ahora"), not "one second ago".</summary>
    public static string Describe(DateTimeOffset when, DateTimeOffset now, Language language) =>
        when.ToUnixTimeMilliseconds() <= 0 ? language.Say("time.unknown")
            : (now - when).Duration() < TimeSpan.FromMinutes(1) ? now.Humanize(now, language.Culture)
            : when.Humanize(now, language.Culture);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Commands;
using SessionBot.Mattermost;
using SessionBot.Permissions;

namespace SessionBot.Replies;

/// <summary>
/// Who reads a command's replies, and so their language and time zone. A person reads in their Mattermost
/// <c>locale</c> and <c>timezone</c>, taken from the user object the command reads for them anyway (never a look-up of
/// its own); a post everyone in the channel reads is in <c>Bot:Locale</c>, else the server's <c>DefaultClientLocale</c>
/// (the client config the bot reads for its settings, kept a minute), with times in UTC. English where SessionBot does
/// not speak the language.
/// </summary>
public sealed class Readers(IOptions<BotOptions> bot, ServerFacts server)
{
    /// <summary>People remembered at most, so a command that reads nobody (a usage error, Cancel) can still answer in their language.</summary>
    private const int MaxRemembered = 10_000;

    private readonly string? locale = string.IsNullOrWhiteSpace(bot.Value.Locale) ? null : bot.Value.Locale;
    private readonly ConcurrentDictionary<string, Reader> remembered = new(StringComparer.Ordinal);

    /// <summary>The caller as the command read them; when it could not (not found), as last seen.</summary>
    public Reader Caller(CommandRequest request, MattermostUser? caller) => caller is null ? Remembered(request) : Person(caller);

    /// <summary>
    /// What a command's reader needs read, started alongside its look-ups: for a webhook's channel, the posts' language
    /// (<see cref="PublicAsync"/>); for a person, nothing (their user object is among the look-ups). Give it to
    /// <see cref="OfCommandAsync"/> once they are done.
    /// </summary>
    public Task<Reader>? StartReading(CommandRequest request, CancellationToken ct) => request.Audience == Audience.Channel ? PublicAsync(ct) : null;

    /// <summary>Who reads a command's replies: the channel (as <see cref="StartReading"/> read it), or the caller as the command read them.</summary>
    public async Task<Reader> OfCommandAsync(CommandRequest request, Task<Reader>? started, MattermostUser? caller) =>
        started is null ? Caller(request, caller) : await started;

    /// <summary>
    /// The reader of a post everyone in the channel sees: <c>Bot:Locale</c>, else the server's default language (read with
    /// the client config, which is kept a minute). A failed read of the config gives the language last read, or English.
    /// </summary>
    public async Task<Reader> PublicAsync(CancellationToken ct)
    {
        if (locale is not null)
            return Public(locale);
        try
        {
            return Public(await server.DefaultLocaleAsync(ct));
        }
        catch (MattermostException)
        {
            return Public(server.LastDefaultLocale);
        }
    }

    /// <summary>A person, in their Mattermost language and time zone; remembered for the commands that read nobody.</summary>
    public Reader Person(MattermostUser user)
    {
        var reader = new Reader(IsPublic: false, Languages.BuiltIn.Find(user.Locale), Reader.Zone(user.PreferredTimezone));
        if (remembered.Count >= MaxRemembered)
            remembered.Clear();
        remembered[user.Id] = reader;
        return reader;
    }

    /// <summary>
    /// The reader of a command that reads no one (a usage error, Cancel, a look-up that failed), with no call: the caller
    /// as last seen, else the language posts are written in, times in UTC; for a webhook command, the channel.
    /// </summary>
    public Reader Remembered(CommandRequest request)
    {
        if (request.Audience == Audience.Channel)
            return Public(locale ?? server.LastDefaultLocale);
        return LastSeen(request.UserId);
    }

    /// <summary>A person as last seen (a click refused before anything is read); unknown: the language posts are written in, times in UTC.</summary>
    public Reader LastSeen(string userId) =>
        remembered.GetValueOrDefault(userId) ?? Reader.Person with { Language = Languages.BuiltIn.Find(locale ?? server.LastDefaultLocale) };

    private static Reader Public(string? locale) => Reader.Public with { Language = Languages.BuiltIn.Find(locale) };
}

using SessionBot.Mattermost;

namespace SessionBot.Permissions;

/// <summary>Facts about the Mattermost server the rules and replies need: the bot's own id, settings, and bot ownership.</summary>
public sealed class ServerFacts(IMattermostClient mattermost, TimeProvider time)
{
    private static readonly TimeSpan ConfigLifetime = TimeSpan.FromSeconds(60);
    private const int BotPageSize = 200;
    private const int MaxBotPages = 25;

    private readonly Lock gate = new();
    private string? botUserId;
    private (Task<IReadOnlyDictionary<string, string>> Config, DateTimeOffset Until)? config;
    private string? lastDefaultLocale;

    /// <summary>The bot account's user id (<c>GET /users/me</c>), read once.</summary>
    public async Task<string> BotUserIdAsync(CancellationToken ct) =>
        botUserId ??= (await mattermost.GetUserAsync("me", ct)).Id;

    /// <summary>Mattermost's <c>EnableUserDeactivation</c>, read from the client config (kept a minute).</summary>
    public async Task<bool> SelfDeactivationEnabledAsync(CancellationToken ct) =>
        (await ClientConfigAsync(ct)).TryGetValue("EnableUserDeactivation", out var value) && value == "true";

    /// <summary>
    /// The server's default language, <c>DefaultClientLocale</c> (docs/mattermost.md §7), read from the client config
    /// (kept a minute, the same read as every other setting); empty when the server does not say.
    /// </summary>
    public async Task<string> DefaultLocaleAsync(CancellationToken ct)
    {
        var locale = (await ClientConfigAsync(ct)).GetValueOrDefault("DefaultClientLocale") ?? "";
        lastDefaultLocale = locale;
        return locale;
    }

    /// <summary>The server's default language as last read, with no call; null before it was first read.</summary>
    public string? LastDefaultLocale => lastDefaultLocale;

    /// <summary>
    /// <c>GET /config/client?format=old</c>, kept a minute. Commands that need it at the same time share one read; a
    /// failed read is not kept.
    /// </summary>
    private Task<IReadOnlyDictionary<string, string>> ClientConfigAsync(CancellationToken ct)
    {
        Task<IReadOnlyDictionary<string, string>> reading;
        lock (gate)
        {
            if (config is { } cached && cached.Until > time.GetUtcNow() && !cached.Config.IsFaulted && !cached.Config.IsCanceled)
                return cached.Config.WaitAsync(ct);
            // Not bound to this command's cancellation: another command may be waiting for the same read.
            reading = mattermost.GetClientConfigAsync(CancellationToken.None);
            config = (reading, time.GetUtcNow() + ConfigLifetime);
        }
        return reading.WaitAsync(ct);
    }

    /// <summary>The active bots a user owns (for the warning that deactivating the owner stops them); null: every bot.</summary>
    public async Task<IReadOnlyList<MattermostBot>> BotsOwnedByAsync(string? userId, CancellationToken ct)
    {
        var owned = new List<MattermostBot>();
        for (var page = 0; page < MaxBotPages; page++)
        {
            var bots = await mattermost.GetBotsAsync(page, BotPageSize, ct);
            owned.AddRange(bots.Where(b => (userId is null || b.OwnerId == userId) && b.DeleteAt == 0));
            if (bots.Count < BotPageSize)
                break;
        }
        return owned;
    }
}

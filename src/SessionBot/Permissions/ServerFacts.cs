using SessionBot.Mattermost;

namespace SessionBot.Permissions;

/// <summary>Facts about the Mattermost server the rules need: the bot's own id, settings, and bot ownership.</summary>
public sealed class ServerFacts(IMattermostClient mattermost, TimeProvider time)
{
    private static readonly TimeSpan ConfigLifetime = TimeSpan.FromSeconds(60);
    private const int BotPageSize = 200;
    private const int MaxBotPages = 25;

    private string? botUserId;
    private (bool Enabled, DateTimeOffset Until)? selfDeactivation;

    /// <summary>The bot account's user id (<c>GET /users/me</c>), read once.</summary>
    public async Task<string> BotUserIdAsync(CancellationToken ct) =>
        botUserId ??= (await mattermost.GetUserAsync("me", ct)).Id;

    /// <summary>Mattermost's <c>EnableUserDeactivation</c>, read from the client config and kept a minute.</summary>
    public async Task<bool> SelfDeactivationEnabledAsync(CancellationToken ct)
    {
        if (selfDeactivation is { } cached && cached.Until > time.GetUtcNow())
            return cached.Enabled;
        var config = await mattermost.GetClientConfigAsync(ct);
        var enabled = config.TryGetValue("EnableUserDeactivation", out var value) && value == "true";
        selfDeactivation = (enabled, time.GetUtcNow() + ConfigLifetime);
        return enabled;
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

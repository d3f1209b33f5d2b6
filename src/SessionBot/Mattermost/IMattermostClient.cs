namespace SessionBot.Mattermost;

/// <summary>
/// The Mattermost REST calls the bot makes, one method per endpoint (mattermost.md §6), authenticated as the bot.
/// Failures throw <see cref="MattermostException"/>; callers never see HTTP types.
/// </summary>
public interface IMattermostClient
{
    /// <summary><c>GET /users/{id}</c>; <paramref name="userId"/> may be <c>me</c> (the bot itself).</summary>
    Task<MattermostUser> GetUserAsync(string userId, CancellationToken ct);
    /// <summary><c>GET /users/username/{name}</c>.</summary>
    Task<MattermostUser> GetUserByUsernameAsync(string username, CancellationToken ct);
    /// <summary><c>GET /users/email/{email}</c>.</summary>
    Task<MattermostUser> GetUserByEmailAsync(string email, CancellationToken ct);
    /// <summary><c>POST /users/ids</c>; unknown ids are left out of the answer.</summary>
    Task<IReadOnlyList<MattermostUser>> GetUsersByIdsAsync(IReadOnlyCollection<string> userIds, CancellationToken ct);
    /// <summary><c>POST /users/usernames</c>; unknown names are left out of the answer.</summary>
    Task<IReadOnlyList<MattermostUser>> GetUsersByUsernamesAsync(IReadOnlyCollection<string> usernames, CancellationToken ct);
    /// <summary><c>POST /roles/names</c> (at most 100 names); unknown names are left out.</summary>
    Task<IReadOnlyList<MattermostRole>> GetRolesByNamesAsync(IReadOnlyCollection<string> roleNames, CancellationToken ct);
    /// <summary><c>GET /users/{id}/sessions</c>.</summary>
    Task<IReadOnlyList<MattermostSession>> GetSessionsAsync(string userId, CancellationToken ct);
    /// <summary><c>POST /users/{id}/sessions/revoke</c>.</summary>
    Task RevokeSessionAsync(string userId, string sessionId, CancellationToken ct);
    /// <summary><c>POST /users/{id}/sessions/revoke/all</c>.</summary>
    Task RevokeAllSessionsAsync(string userId, CancellationToken ct);
    /// <summary><c>POST /users/sessions/revoke/all</c>: every session of every user.</summary>
    Task RevokeEveryonesSessionsAsync(CancellationToken ct);
    /// <summary><c>PUT /users/{id}/active</c>.</summary>
    Task SetActiveAsync(string userId, bool active, CancellationToken ct);
    /// <summary><c>GET /users/tokens/{token_id}</c>.</summary>
    Task<UserAccessToken> GetUserAccessTokenAsync(string tokenId, CancellationToken ct);
    /// <summary><c>POST /users/tokens/revoke</c>.</summary>
    Task RevokeUserAccessTokenAsync(string tokenId, CancellationToken ct);
    /// <summary><c>GET /bots?page=&amp;per_page=</c>.</summary>
    Task<IReadOnlyList<MattermostBot>> GetBotsAsync(int page, int perPage, CancellationToken ct);
    /// <summary><c>GET /config/client?format=old</c>.</summary>
    Task<IReadOnlyDictionary<string, string>> GetClientConfigAsync(CancellationToken ct);
    /// <summary><c>POST /posts</c>.</summary>
    Task<MattermostPost> CreatePostAsync(CreatePostRequest post, CancellationToken ct);
    /// <summary><c>GET /teams/name/{name}</c>.</summary>
    Task<MattermostTeam> GetTeamByNameAsync(string name, CancellationToken ct);
    /// <summary><c>GET /commands?team_id=&amp;custom_only=true</c>: the team's custom commands, with their tokens.</summary>
    Task<IReadOnlyList<SlashCommand>> GetCommandsAsync(string teamId, CancellationToken ct);
    /// <summary><c>POST /commands</c>.</summary>
    Task<SlashCommand> CreateCommandAsync(SlashCommand command, CancellationToken ct);
    /// <summary><c>PUT /commands/{id}</c> with the whole command.</summary>
    Task<SlashCommand> UpdateCommandAsync(SlashCommand command, CancellationToken ct);
}

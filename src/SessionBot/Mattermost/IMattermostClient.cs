using Refit;

namespace SessionBot.Mattermost;

/// <summary>
/// The Mattermost REST calls the bot makes, one Refit method per endpoint (docs/mattermost.md §6), authenticated as the bot;
/// Refit's source generator writes the client. A call that only reads is marked <see cref="ReadsAttribute"/>: it is
/// repeated after a failure, a change only when it cannot have taken effect (<see cref="MattermostCallHandler"/>).
/// A few default members keep the shape callers use where Mattermost wants an object body or no call is needed.
/// Failures throw <see cref="MattermostException"/>; callers never see HTTP or Refit types.
/// </summary>
public interface IMattermostClient
{
    /// <summary><c>GET /users/{id}</c>; <paramref name="userId"/> may be <c>me</c> (the bot itself).</summary>
    [Get("/users/{userId}"), Reads]
    Task<MattermostUser> GetUserAsync(string userId, CancellationToken ct);

    /// <summary><c>GET /users/username/{name}</c>.</summary>
    [Get("/users/username/{username}"), Reads]
    Task<MattermostUser> GetUserByUsernameAsync(string username, CancellationToken ct);

    /// <summary><c>GET /users/email/{email}</c>.</summary>
    [Get("/users/email/{email}"), Reads]
    Task<MattermostUser> GetUserByEmailAsync(string email, CancellationToken ct);

    /// <summary><c>POST /users/ids</c>; unknown ids are left out of the answer. No ids, no call.</summary>
    Task<IReadOnlyList<MattermostUser>> GetUsersByIdsAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        userIds.Count == 0 ? Task.FromResult<IReadOnlyList<MattermostUser>>([]) : PostUsersIdsAsync([.. userIds], ct);

    /// <summary><c>POST /users/ids</c> as Mattermost takes it; callers use <see cref="GetUsersByIdsAsync"/>.</summary>
    [Post("/users/ids"), Reads]
    Task<IReadOnlyList<MattermostUser>> PostUsersIdsAsync([Body] string[] userIds, CancellationToken ct);

    /// <summary><c>POST /users/usernames</c>; unknown names are left out of the answer. No names, no call.</summary>
    Task<IReadOnlyList<MattermostUser>> GetUsersByUsernamesAsync(IReadOnlyCollection<string> usernames, CancellationToken ct) =>
        usernames.Count == 0 ? Task.FromResult<IReadOnlyList<MattermostUser>>([]) : PostUsersUsernamesAsync([.. usernames], ct);

    /// <summary><c>POST /users/usernames</c> as Mattermost takes it; callers use <see cref="GetUsersByUsernamesAsync"/>.</summary>
    [Post("/users/usernames"), Reads]
    Task<IReadOnlyList<MattermostUser>> PostUsersUsernamesAsync([Body] string[] usernames, CancellationToken ct);

    /// <summary><c>POST /roles/names</c> (at most 100 names); unknown names are left out. No names, no call.</summary>
    Task<IReadOnlyList<MattermostRole>> GetRolesByNamesAsync(IReadOnlyCollection<string> roleNames, CancellationToken ct) =>
        roleNames.Count == 0 ? Task.FromResult<IReadOnlyList<MattermostRole>>([]) : PostRolesNamesAsync([.. roleNames], ct);

    /// <summary><c>POST /roles/names</c> as Mattermost takes it; callers use <see cref="GetRolesByNamesAsync"/>.</summary>
    [Post("/roles/names"), Reads]
    Task<IReadOnlyList<MattermostRole>> PostRolesNamesAsync([Body] string[] roleNames, CancellationToken ct);

    /// <summary><c>GET /users/{id}/sessions</c>.</summary>
    [Get("/users/{userId}/sessions"), Reads]
    Task<IReadOnlyList<MattermostSession>> GetSessionsAsync(string userId, CancellationToken ct);

    /// <summary><c>POST /users/{id}/sessions/revoke</c>.</summary>
    Task RevokeSessionAsync(string userId, string sessionId, CancellationToken ct) =>
        RevokeSessionAsync(userId, new RevokeSessionRequest(sessionId), ct);

    /// <summary><c>POST /users/{id}/sessions/revoke</c> with Mattermost's body.</summary>
    [Post("/users/{userId}/sessions/revoke")]
    Task RevokeSessionAsync(string userId, [Body] RevokeSessionRequest request, CancellationToken ct);

    /// <summary><c>POST /users/{id}/sessions/revoke/all</c>.</summary>
    [Post("/users/{userId}/sessions/revoke/all")]
    Task RevokeAllSessionsAsync(string userId, CancellationToken ct);

    /// <summary><c>POST /users/sessions/revoke/all</c>: every session of every user.</summary>
    [Post("/users/sessions/revoke/all")]
    Task RevokeEveryonesSessionsAsync(CancellationToken ct);

    /// <summary><c>PUT /users/{id}/active</c>.</summary>
    Task SetActiveAsync(string userId, bool active, CancellationToken ct) =>
        SetActiveAsync(userId, new SetActiveRequest(active), ct);

    /// <summary><c>PUT /users/{id}/active</c> with Mattermost's body.</summary>
    [Put("/users/{userId}/active")]
    Task SetActiveAsync(string userId, [Body] SetActiveRequest request, CancellationToken ct);

    /// <summary><c>GET /users/tokens/{token_id}</c>.</summary>
    [Get("/users/tokens/{tokenId}"), Reads]
    Task<UserAccessToken> GetUserAccessTokenAsync(string tokenId, CancellationToken ct);

    /// <summary><c>POST /users/tokens/revoke</c>.</summary>
    Task RevokeUserAccessTokenAsync(string tokenId, CancellationToken ct) =>
        RevokeUserAccessTokenAsync(new RevokeTokenRequest(tokenId), ct);

    /// <summary><c>POST /users/tokens/revoke</c> with Mattermost's body.</summary>
    [Post("/users/tokens/revoke")]
    Task RevokeUserAccessTokenAsync([Body] RevokeTokenRequest request, CancellationToken ct);

    /// <summary><c>GET /bots?page=&amp;per_page=</c>.</summary>
    [Get("/bots"), Reads]
    Task<IReadOnlyList<MattermostBot>> GetBotsAsync([Query] int page, [Query, AliasAs("per_page")] int perPage, CancellationToken ct);

    /// <summary><c>GET /config/client?format=old</c>.</summary>
    [Get("/config/client?format=old"), Reads]
    Task<IReadOnlyDictionary<string, string>> GetClientConfigAsync(CancellationToken ct);

    /// <summary><c>POST /posts</c>.</summary>
    [Post("/posts")]
    Task<MattermostPost> CreatePostAsync([Body] CreatePostRequest post, CancellationToken ct);

    /// <summary>
    /// <c>POST /channels/direct</c>: the direct-message channel of two users, made on first use; the same channel comes
    /// back every time (docs/mattermost.md §7). A change, though repeating it changes nothing more.
    /// </summary>
    Task<MattermostChannel> CreateDirectChannelAsync(string userId, string otherUserId, CancellationToken ct) =>
        CreateDirectChannelAsync([userId, otherUserId], ct);

    /// <summary><c>POST /channels/direct</c> as Mattermost takes it (the two user ids); callers use the overload above.</summary>
    [Post("/channels/direct")]
    Task<MattermostChannel> CreateDirectChannelAsync([Body] string[] userIds, CancellationToken ct);

    /// <summary><c>GET /teams/name/{name}</c>.</summary>
    [Get("/teams/name/{name}"), Reads]
    Task<MattermostTeam> GetTeamByNameAsync(string name, CancellationToken ct);

    /// <summary><c>GET /commands?team_id=&amp;custom_only=true</c>: the team's custom commands, with their tokens.</summary>
    [Get("/commands?custom_only=true"), Reads]
    Task<IReadOnlyList<SlashCommand>> GetCommandsAsync([Query, AliasAs("team_id")] string teamId, CancellationToken ct);

    /// <summary><c>POST /commands</c>.</summary>
    [Post("/commands")]
    Task<SlashCommand> CreateCommandAsync([Body] SlashCommand command, CancellationToken ct);

    /// <summary><c>PUT /commands/{id}</c> with the whole command.</summary>
    Task<SlashCommand> UpdateCommandAsync(SlashCommand command, CancellationToken ct) =>
        UpdateCommandAsync(command.Id ?? "", command, ct);

    /// <summary><c>PUT /commands/{id}</c>.</summary>
    [Put("/commands/{commandId}")]
    Task<SlashCommand> UpdateCommandAsync(string commandId, [Body] SlashCommand command, CancellationToken ct);
}

using System.Text.Json.Serialization;

namespace SessionBot.Mattermost;

/// <summary>A Mattermost user as the REST API returns it (only the fields the bot uses).</summary>
public sealed record MattermostUser
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string Nickname { get; init; } = "";
    public string Email { get; init; } = "";
    /// <summary>Space-separated system role names.</summary>
    public string Roles { get; init; } = "";
    /// <summary>"", ldap, saml, gitlab, google, office365, openid. Blank unless the reader has manage_system.</summary>
    public string AuthService { get; init; } = "";
    public long DeleteAt { get; init; }
    public bool IsBot { get; init; }

    [JsonIgnore] public bool IsActive => DeleteAt == 0;
    [JsonIgnore] public IReadOnlyList<string> RoleNames => Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    [JsonIgnore] public bool IsSystemAdmin => RoleNames.Contains("system_admin");
    [JsonIgnore] public string FullName => $"{FirstName} {LastName}".Trim();
}

/// <summary>A login session. The API's <c>token</c> field is deliberately not modelled: it is never read or shown.</summary>
public sealed record MattermostSession
{
    public required string Id { get; init; }
    public string UserId { get; init; } = "";
    public long CreateAt { get; init; }
    public long ExpiresAt { get; init; }
    public long LastActivityAt { get; init; }
    public string DeviceId { get; init; } = "";
    public string Roles { get; init; } = "";
    public bool IsOauth { get; init; }
    /// <summary>Client-supplied strings (untrusted). Holds <c>csrf</c>, a live secret: never display props wholesale.</summary>
    public Dictionary<string, string> Props { get; init; } = [];
}

/// <summary>A role definition from <c>POST /roles/names</c>.</summary>
public sealed record MattermostRole
{
    public required string Name { get; init; }
    public string[] Permissions { get; init; } = [];
}

/// <summary>A personal access token's metadata (never its value).</summary>
public sealed record UserAccessToken
{
    public required string Id { get; init; }
    public string UserId { get; init; } = "";
    public string Description { get; init; } = "";
    public bool IsActive { get; init; }
}

/// <summary>A bot account from <c>GET /bots</c>.</summary>
public sealed record MattermostBot
{
    public required string UserId { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string OwnerId { get; init; } = "";
    public long DeleteAt { get; init; }
}

/// <summary>Mattermost's error body: match on <see cref="Id"/>, never on the message.</summary>
public sealed record AppErrorBody
{
    public string Id { get; init; } = "";
    public string Message { get; init; } = "";
    public string DetailedError { get; init; } = "";
    public string RequestId { get; init; } = "";
    public int StatusCode { get; init; }
}

/// <summary>A team, as <c>GET /teams/name/{name}</c> returns it.</summary>
public sealed record MattermostTeam(string Id, string Name, string DisplayName);

/// <summary>
/// A custom slash command. <see cref="Token"/> is the secret Mattermost sends with each request. Id, token and
/// creator are null on a command not yet created, so a create request does not send them.
/// </summary>
public sealed record SlashCommand
{
    public string? Id { get; init; }
    public string? Token { get; init; }
    public string? CreatorId { get; init; }
    public required string TeamId { get; init; }
    public required string Trigger { get; init; }
    public string Method { get; init; } = "P";
    public string Url { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Description { get; init; } = "";
    public bool AutoComplete { get; init; }
    public string AutoCompleteDesc { get; init; } = "";
    public string AutoCompleteHint { get; init; } = "";
    public string Username { get; init; } = "";
    public string IconUrl { get; init; } = "";
}

public sealed record StatusResponse(string Status);
public sealed record RevokeSessionRequest(string SessionId);
public sealed record SetActiveRequest(bool Active);
public sealed record RevokeTokenRequest(string TokenId);
public sealed record CreatePostRequest(string ChannelId, string Message, string? RootId = null);
public sealed record MattermostPost(string Id, string ChannelId, string Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(MattermostUser))]
[JsonSerializable(typeof(List<MattermostUser>))]
[JsonSerializable(typeof(List<MattermostSession>))]
[JsonSerializable(typeof(List<MattermostRole>))]
[JsonSerializable(typeof(UserAccessToken))]
[JsonSerializable(typeof(List<MattermostBot>))]
[JsonSerializable(typeof(AppErrorBody))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(RevokeSessionRequest))]
[JsonSerializable(typeof(SetActiveRequest))]
[JsonSerializable(typeof(RevokeTokenRequest))]
[JsonSerializable(typeof(CreatePostRequest))]
[JsonSerializable(typeof(MattermostPost))]
[JsonSerializable(typeof(MattermostTeam))]
[JsonSerializable(typeof(SlashCommand))]
[JsonSerializable(typeof(List<SlashCommand>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MattermostJson : JsonSerializerContext;

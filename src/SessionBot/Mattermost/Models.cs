using System.Text.Json.Serialization;

namespace SessionBot.Mattermost;

/// <summary>A Mattermost user as the REST API returns it (only the fields the bot uses).</summary>
public sealed record MattermostUser
{
    public required string Id { get; set; }
    public required string Username { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Nickname { get; set; } = "";
    public string Email { get; set; } = "";
    /// <summary>Space-separated system role names.</summary>
    public string Roles { get; set; } = "";
    /// <summary>"", ldap, saml, gitlab, google, office365, openid. Blank unless the reader has manage_system.</summary>
    public string AuthService { get; set; } = "";
    public long DeleteAt { get; set; }
    public bool IsBot { get; set; }
    /// <summary>The language the user reads Mattermost in: <c>en</c>, <c>de</c>, <c>pt-br</c>, <c>zh-CN</c>, … (docs/mattermost.md §7).</summary>
    public string Locale { get; set; } = "";
    /// <summary>
    /// <c>useAutomaticTimezone</c> (<c>"true"</c>/<c>"false"</c>), <c>automaticTimezone</c>, <c>manualTimezone</c>: all
    /// strings, the zones IANA names (docs/mattermost.md §7).
    /// </summary>
    public Dictionary<string, string>? Timezone { get; set; }

    [JsonIgnore] public bool IsActive => DeleteAt == 0;

    /// <summary>The zone the user prefers, as the server picks it (<c>model.GetPreferredTimezone</c>); empty when none is set.</summary>
    [JsonIgnore]
    public string PreferredTimezone => Timezone?.GetValueOrDefault(Timezone.GetValueOrDefault("useAutomaticTimezone") == "true" ? "automaticTimezone" : "manualTimezone") ?? "";
    [JsonIgnore] public IReadOnlyList<string> RoleNames => Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    [JsonIgnore] public bool IsSystemAdmin => RoleNames.Contains("system_admin");
    [JsonIgnore] public string FullName => $"{FirstName} {LastName}".Trim();
}

/// <summary>A login session. The API's <c>token</c> field is deliberately not modelled: it is never read or shown.</summary>
public sealed record MattermostSession
{
    public required string Id { get; set; }
    public string UserId { get; set; } = "";
    public long CreateAt { get; set; }
    public long ExpiresAt { get; set; }
    public long LastActivityAt { get; set; }
    public string DeviceId { get; set; } = "";
    public string Roles { get; set; } = "";
    public bool IsOauth { get; set; }
    /// <summary>The props the bot shows (client-supplied, untrusted).</summary>
    public SessionProps Props { get; set; } = new();
}

/// <summary>
/// The few session props the bot reads. Only these are taken from the API's <c>props</c>; the rest, <c>csrf</c> (a live
/// secret) among them, is skipped while reading and never held by the bot.
/// </summary>
public sealed record SessionProps
{
    public string Platform { get; set; } = "";
    public string Os { get; set; } = "";
    public string Browser { get; set; } = "";
    /// <summary><c>UserAccessToken</c> for the session of a personal access token.</summary>
    public string Type { get; set; } = "";
    /// <summary><c>"true"</c> when that access token belongs to a bot.</summary>
    public string IsBot { get; set; } = "";

    [JsonIgnore] public bool IsAccessToken => Type == "UserAccessToken";
}

/// <summary>A role definition from <c>POST /roles/names</c>.</summary>
public sealed record MattermostRole
{
    public required string Name { get; set; }
    public string[] Permissions { get; set; } = [];
}

/// <summary>A personal access token's metadata (never its value).</summary>
public sealed record UserAccessToken
{
    public required string Id { get; set; }
    public string UserId { get; set; } = "";
    public string Description { get; set; } = "";
    public bool IsActive { get; set; }
}

/// <summary>A bot account from <c>GET /bots</c>.</summary>
public sealed record MattermostBot
{
    public required string UserId { get; set; }
    public string Username { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public long DeleteAt { get; set; }
}

/// <summary>Mattermost's error body: match on <see cref="Id"/>, never on the message.</summary>
public sealed record AppErrorBody
{
    public string Id { get; set; } = "";
    public string Message { get; set; } = "";
    public string DetailedError { get; set; } = "";
    public string RequestId { get; set; } = "";
    public int StatusCode { get; set; }
}

/// <summary>A channel, as <c>POST /channels/direct</c> returns it (only the fields the bot uses). <see cref="Type"/> <c>D</c>: direct messages.</summary>
public sealed record MattermostChannel
{
    public required string Id { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
}

/// <summary>A team, as <c>GET /teams/name/{name}</c> returns it.</summary>
public sealed record MattermostTeam(string Id, string Name, string DisplayName);

/// <summary>
/// A custom slash command. <see cref="Token"/> is the secret Mattermost sends with each request. Id, token and
/// creator are null on a command not yet created, so a create request does not send them.
/// </summary>
public sealed record SlashCommand
{
    public string? Id { get; set; }
    public string? Token { get; set; }
    public string? CreatorId { get; set; }
    public required string TeamId { get; set; }
    public required string Trigger { get; set; }
    public string Method { get; set; } = "P";
    public string Url { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Description { get; set; } = "";
    public bool AutoComplete { get; set; }
    public string AutoCompleteDesc { get; set; } = "";
    public string AutoCompleteHint { get; set; } = "";
    public string Username { get; set; } = "";
    public string IconUrl { get; set; } = "";
}

public sealed record RevokeSessionRequest(string SessionId);
public sealed record SetActiveRequest(bool Active);
public sealed record RevokeTokenRequest(string TokenId);
public sealed record CreatePostRequest(string ChannelId, string Message, string? RootId = null);
public sealed record MattermostPost(string Id, string ChannelId, string Message);

// The models' properties have setters, not init accessors: for init-only properties the source generator sets a
// field the JSON leaves out to null, losing its default (""), whereas setters are only called for fields present.
// These are exactly the types IMattermostClient sends and reads: Refit serializes through this context only.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(MattermostUser))]
[JsonSerializable(typeof(IReadOnlyList<MattermostUser>))]
[JsonSerializable(typeof(IReadOnlyList<MattermostSession>))]
[JsonSerializable(typeof(IReadOnlyList<MattermostRole>))]
[JsonSerializable(typeof(UserAccessToken))]
[JsonSerializable(typeof(IReadOnlyList<MattermostBot>))]
[JsonSerializable(typeof(AppErrorBody))]
[JsonSerializable(typeof(RevokeSessionRequest))]
[JsonSerializable(typeof(SetActiveRequest))]
[JsonSerializable(typeof(RevokeTokenRequest))]
[JsonSerializable(typeof(CreatePostRequest))]
[JsonSerializable(typeof(MattermostPost))]
[JsonSerializable(typeof(MattermostChannel))]
[JsonSerializable(typeof(MattermostTeam))]
[JsonSerializable(typeof(SlashCommand))]
[JsonSerializable(typeof(IReadOnlyList<SlashCommand>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class MattermostJson : JsonSerializerContext;

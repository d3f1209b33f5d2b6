namespace SessionBot.Sandbox;

// The objects the server stores, with the fields the emulator needs (Mattermost's model package: docs/mattermost.md §6).

/// <summary>A Mattermost user as the server stores it.</summary>
public sealed class User
{
    public required string Id { get; init; }
    public required string Username { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Nickname { get; set; } = "";
    public string Email { get; set; } = "";
    public string Roles { get; set; } = "system_user";
    public string AuthService { get; set; } = "";
    public long CreateAt { get; set; }
    public long DeleteAt { get; set; }
    public bool IsBot { get; set; }
    /// <summary>The language the user reads Mattermost in (the server's default is <c>en</c>).</summary>
    public string Locale { get; set; } = "en";
    /// <summary>
    /// As the server stores it: <c>useAutomaticTimezone</c> ("true"/"false"), <c>automaticTimezone</c> (the browser's
    /// zone), <c>manualTimezone</c> (the one chosen in the settings); all strings.
    /// </summary>
    public Dictionary<string, string> Timezone { get; set; } = new() { ["useAutomaticTimezone"] = "true", ["automaticTimezone"] = "", ["manualTimezone"] = "" };
    public IEnumerable<string> RoleNames => Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    public bool IsSystemAdmin => RoleNames.Contains("system_admin");
}

/// <summary>A login session; <see cref="Token"/> authenticates requests and is never returned by the API.</summary>
public sealed class Session
{
    public required string Id { get; init; }
    public required string Token { get; init; }
    public required string UserId { get; init; }
    public long CreateAt { get; set; }
    public long ExpiresAt { get; set; }
    public long LastActivityAt { get; set; }
    public string DeviceId { get; set; } = "";
    public string Roles { get; set; } = "system_user";
    public bool IsOAuth { get; set; }
    public Dictionary<string, string> Props { get; init; } = [];
}

/// <summary>A personal access token; <see cref="Token"/> is its secret value.</summary>
public sealed class AccessToken
{
    public required string Id { get; init; }
    public required string Token { get; init; }
    public required string UserId { get; init; }
    public string Description { get; set; } = "";
    public bool IsActive { get; set; } = true;
}

public sealed class Role
{
    public required string Name { get; init; }
    public string Id { get; init; } = World.NewId();
    public HashSet<string> Permissions { get; init; } = [];
}

public sealed class Bot
{
    public required string UserId { get; init; }
    public required string OwnerId { get; set; }
    public string DisplayName { get; set; } = "";
    public long DeleteAt { get; set; }
}

public sealed class Team
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string DisplayName { get; set; } = "";
}

public sealed class Channel
{
    public required string Id { get; init; }
    public required string TeamId { get; init; }
    public required string Name { get; init; }
    public string DisplayName { get; set; } = "";
    /// <summary><c>O</c> public (outgoing webhooks fire only here), <c>P</c> private, <c>D</c> direct messages (<see cref="World.DirectChannel"/>).</summary>
    public string Type { get; init; } = "O";
    public long CreateAt { get; init; }
    public HashSet<string> Members { get; init; } = [];
}

/// <summary>
/// A post. Ephemeral posts (<see cref="VisibleTo"/> set) are never stored by the real server; the sandbox keeps them
/// for their one reader so the playground can show them and their buttons can be clicked.
/// </summary>
public sealed class Post
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required string UserId { get; init; }
    public string Message { get; set; } = "";
    public string RootId { get; init; } = "";
    /// <summary><c>""</c> for a normal post, <c>system_ephemeral</c> for one only <see cref="VisibleTo"/> sees.</summary>
    public string Type { get; set; } = "";
    public long CreateAt { get; init; }
    public long UpdateAt { get; set; }
    public long EditAt { get; set; }
    /// <summary>Post props as the server keeps them: <c>attachments</c>, <c>from_webhook</c>, <c>override_username</c>, …</summary>
    public System.Text.Json.Nodes.JsonObject Props { get; set; } = [];
    public string? VisibleTo { get; init; }
    public bool IsEphemeral => VisibleTo is not null;
}

public sealed class SlashCommand
{
    public required string Id { get; init; }
    public required string TeamId { get; set; }
    public required string Trigger { get; set; }
    public required string Token { get; set; }
    public string CreatorId { get; set; } = "";
    public string Method { get; set; } = "P";
    public string Url { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Description { get; set; } = "";
    public bool AutoComplete { get; set; }
    public string AutoCompleteDesc { get; set; } = "";
    public string AutoCompleteHint { get; set; } = "";
    public string Username { get; set; } = "";
    public string IconUrl { get; set; } = "";
    public long CreateAt { get; set; }
    public long UpdateAt { get; set; }
    public long DeleteAt { get; set; }
}

using System.Security.Cryptography;

namespace SessionBot.Sandbox;

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
    public HashSet<string> Members { get; init; } = [];
}

public sealed record Post(string Id, string ChannelId, string UserId, string Message, string RootId, long CreateAt);

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

/// <summary>One request the emulator answered: what tests read to prove a call was, or was not, made.</summary>
/// <param name="Started">When it arrived, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</param>
/// <param name="Finished">When it was answered, in the same ticks.</param>
public sealed record LoggedRequest(string Method, string Path, string Body, string? UserId, int Status, long Started = 0, long Finished = 0)
{
    /// <summary>Calls that change state on a real server (reads done with POST are not).</summary>
    public bool IsChange => Method is "PUT" or "DELETE" || (Method == "POST" && !Path.EndsWith("/users/ids") && !Path.EndsWith("/users/usernames") && !Path.EndsWith("/roles/names"));
}

/// <summary>
/// The whole in-memory server state. Everything is guarded by one lock: the emulator favours being right over
/// being fast, and it is still far faster than a real server.
/// </summary>
public sealed partial class World
{
    public object Gate { get; } = new();
    public Dictionary<string, User> Users { get; } = [];
    /// <summary>Read freely; change through <see cref="AddSession"/> and <see cref="RemoveSession"/>, which keep the token index.</summary>
    public Dictionary<string, Session> Sessions { get; } = [];
    private readonly Dictionary<string, Session> sessionsByToken = [];
    public Dictionary<string, AccessToken> AccessTokens { get; } = [];
    public Dictionary<string, Role> Roles { get; } = [];
    public Dictionary<string, Bot> Bots { get; } = [];
    public Dictionary<string, Team> Teams { get; } = [];
    public Dictionary<string, Channel> Channels { get; } = [];
    public List<Post> Posts { get; } = [];
    public Dictionary<string, SlashCommand> Commands { get; } = [];
    public Dictionary<string, string> ClientConfig { get; } = new()
    {
        ["EnableUserDeactivation"] = "false",
        // The server's default language (System Console › Localization), "en" unless an admin changed it.
        ["DefaultClientLocale"] = "en",
        ["SiteName"] = "Mattermost Sandbox",
        ["Version"] = "10.11.0",
    };
    public Faults Faults { get; } = new();
    public ResponseUrlSink ResponseUrls { get; } = new();
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Added to every API call, e.g. to measure how the bot behaves over a slow network.</summary>
    public TimeSpan Latency { get; set; }

    private readonly List<LoggedRequest> requests = [];

    public IReadOnlyList<LoggedRequest> Requests
    {
        get
        {
            lock (requests)
                return requests.ToArray();
        }
    }

    public void Log(LoggedRequest request)
    {
        lock (requests)
            requests.Add(request);
    }

    public void ClearRequests()
    {
        lock (requests)
            requests.Clear();
    }

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// What Mattermost adds to a slash command whose text @mentions users it knows (mattermost.md §1):
    /// <c>user_mentions</c> and <c>user_mentions_ids</c>, repeated form keys in parallel order.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> MentionsIn(string text)
    {
        User[] mentioned;
        lock (Gate)
        {
            mentioned = [.. Mention().Matches(text)
                .Select(m => Users.Values.FirstOrDefault(u => u.Username.Equals(m.Groups[1].Value.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
                .OfType<User>().DistinctBy(u => u.Id)];
        }
        return [.. mentioned.Select(u => KeyValuePair.Create("user_mentions", u.Username)),
            .. mentioned.Select(u => KeyValuePair.Create("user_mentions_ids", u.Id))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"@([a-z0-9._-]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex Mention();

    /// <summary>
    /// How many of these requests had to wait for one another: overlapping requests (made in parallel) count once.
    /// </summary>
    public static int DependentRoundTrips(IEnumerable<LoggedRequest> requests)
    {
        var rounds = 0;
        var end = long.MinValue;
        foreach (var request in requests.OrderBy(r => r.Started))
        {
            if (request.Started >= end)
                rounds++;
            end = Math.Max(end, request.Finished);
        }
        return rounds;
    }

    /// <summary>A Mattermost id: 26 lower-case letters and digits.</summary>
    public static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(26, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    public User AddUser(string id, string username, string roles = "system_user", string authService = "", string first = "", string last = "", bool isBot = false)
    {
        lock (Gate)
        {
            var user = new User
            {
                Id = id,
                Username = username,
                Roles = roles,
                AuthService = authService,
                FirstName = first,
                LastName = last,
                Email = $"{username}@example.com",
                IsBot = isBot,
                CreateAt = Now - 400L * 86_400_000,
            };
            Users[id] = user;
            return user;
        }
    }

    public Role AddRole(string name, params string[] permissions)
    {
        lock (Gate)
        {
            var role = new Role { Name = name, Permissions = [.. permissions] };
            Roles[name] = role;
            return role;
        }
    }

    public Session AddSession(string userId, Dictionary<string, string>? props = null, string? id = null, string? token = null, string deviceId = "",
        TimeSpan? age = null, TimeSpan? idle = null, TimeSpan? expiresIn = null)
    {
        lock (Gate)
        {
            var now = Now;
            var session = new Session
            {
                Id = id ?? NewId(),
                Token = token ?? NewId(),
                UserId = userId,
                CreateAt = now - (long)(age ?? TimeSpan.FromDays(3)).TotalMilliseconds,
                LastActivityAt = now - (long)(idle ?? TimeSpan.FromMinutes(5)).TotalMilliseconds,
                ExpiresAt = now + (long)(expiresIn ?? TimeSpan.FromDays(27)).TotalMilliseconds,
                DeviceId = deviceId,
                Roles = Users.TryGetValue(userId, out var user) ? user.Roles : "system_user",
                Props = new Dictionary<string, string>(props ?? Browser("Windows", "Windows 10", "Chrome/131.0")) { ["csrf"] = NewId() },
            };
            Sessions[session.Id] = session;
            sessionsByToken[session.Token] = session;
            return session;
        }
    }

    public void RemoveSession(Session session)
    {
        lock (Gate)
        {
            Sessions.Remove(session.Id);
            sessionsByToken.Remove(session.Token);
        }
    }

    /// <summary>A personal access token, and the session the server opens when it is first used.</summary>
    public AccessToken AddAccessToken(string userId, string description, string? id = null, string? token = null)
    {
        lock (Gate)
        {
            var accessToken = new AccessToken { Id = id ?? NewId(), Token = token ?? NewId(), UserId = userId, Description = description };
            AccessTokens[accessToken.Id] = accessToken;
            return accessToken;
        }
    }

    public static Dictionary<string, string> Browser(string platform, string os, string browser) =>
        new() { ["platform"] = platform, ["os"] = os, ["browser"] = browser, ["isMobile"] = "false", ["isSaml"] = "false", ["isOAuthUser"] = "false", ["is_guest"] = "false" };

    /// <summary>The union of the permissions of the user's roles, as the server computes it.</summary>
    public HashSet<string> PermissionsOf(User user)
    {
        lock (Gate)
            return user.RoleNames.Where(Roles.ContainsKey).SelectMany(r => Roles[r].Permissions).ToHashSet();
    }

    /// <summary>The user a bearer token belongs to, as the server authenticates it; null means 401.</summary>
    public User? Authenticate(string? bearer)
    {
        if (string.IsNullOrEmpty(bearer))
            return null;
        lock (Gate)
        {
            var now = Now;
            if (sessionsByToken.TryGetValue(bearer, out var session) && session.ExpiresAt > now)
            {
                session.LastActivityAt = now;
                return Users.TryGetValue(session.UserId, out var user) && user.DeleteAt == 0 ? user : null;
            }
            var accessToken = AccessTokens.Values.FirstOrDefault(t => t.Token == bearer && t.IsActive);
            if (accessToken is null || !Users.TryGetValue(accessToken.UserId, out var owner) || owner.DeleteAt != 0)
                return null;
            // Like the server: a token opens a session when it is used, and again after that session was revoked.
            var tokenSession = Sessions.Values.FirstOrDefault(s => s.Props.GetValueOrDefault("user_access_token_id") == accessToken.Id)
                ?? AddSession(owner.Id, new() { ["type"] = "UserAccessToken", ["user_access_token_id"] = accessToken.Id, ["is_bot"] = owner.IsBot ? "true" : "false" },
                    age: TimeSpan.Zero, idle: TimeSpan.Zero, expiresIn: TimeSpan.FromDays(36500));
            tokenSession.LastActivityAt = now;
            return owner;
        }
    }
}

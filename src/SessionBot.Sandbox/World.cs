using System.Security.Cryptography;

namespace SessionBot.Sandbox;

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
    public RequestLog Requests { get; } = new();
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Added to every API call, e.g. to measure how the bot behaves over a slow network.</summary>
    public TimeSpan Latency { get; set; }

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// What Mattermost adds to a slash command whose text @mentions users it knows (mattermost.md §1):
    /// <c>user_mentions</c> and <c>user_mentions_ids</c>, repeated form keys in parallel order (MentionsToTeamMembers:
    /// <c>@name</c> not inside a word, lower-cased, trailing <c>.-_</c> dropped until a user matches).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> MentionsIn(string text)
    {
        var found = new List<(string Name, string Id)>();
        lock (Gate)
        {
            foreach (var name in Mention().Matches(text).Select(m => m.Value[1..].ToLowerInvariant()).Distinct())
            {
                for (var candidate = name; candidate.Length > 0; candidate = candidate[..^1])
                {
                    if (Users.Values.FirstOrDefault(u => u.Username == candidate) is { } user)
                    {
                        if (found.All(f => f.Id != user.Id))
                            found.Add((candidate, user.Id));
                        break;
                    }
                    if (".-_".IndexOf(candidate[^1]) < 0)
                        break;
                }
            }
        }
        return [.. found.Select(f => KeyValuePair.Create("user_mentions", f.Name)), .. found.Select(f => KeyValuePair.Create("user_mentions_ids", f.Id))];
    }

    /// <summary><c>channel_mentions</c> and <c>channel_mentions_ids</c>: <c>~name</c> of the team's public channels.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ChannelMentionsIn(string text, string teamId)
    {
        List<Channel> found;
        lock (Gate)
        {
            found = [.. ChannelMention().Matches(text).Select(m => m.Value[1..]).Distinct()
                .Select(name => Channels.Values.FirstOrDefault(c => c.TeamId == teamId && c.Name == name && c.Type == "O")).OfType<Channel>()];
        }
        return [.. found.Select(c => KeyValuePair.Create("channel_mentions", c.Name)), .. found.Select(c => KeyValuePair.Create("channel_mentions_ids", c.Id))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![A-Za-z0-9_])@[A-Za-z0-9][A-Za-z0-9.\-_:]*")]
    private static partial System.Text.RegularExpressions.Regex Mention();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![A-Za-z0-9_])~[a-zA-Z0-9\-_]+")]
    private static partial System.Text.RegularExpressions.Regex ChannelMention();

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

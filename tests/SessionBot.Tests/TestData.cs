using SessionBot.Mattermost;

namespace SessionBot.Tests;

/// <summary>Small builders for Mattermost objects used across the tests.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public const string BotId = "sessionbot00000000000000bt";
    public const string CallerId = "caller00000000000000000001";
    public const string BobId = "bob0000000000000000000000b";
    public const string AliceId = "alice00000000000000000000a";
    public const string RootId = "root000000000000000000000r";
    public const string LeeId = "lee0000000000000000000000l";

    public static MattermostUser User(string id, string username, string roles = "system_user", string authService = "", long deleteAt = 0, string first = "", string last = "") =>
        new() { Id = id, Username = username, Roles = roles, AuthService = authService, DeleteAt = deleteAt, FirstName = first, LastName = last, Email = $"{username}@example.com" };

    public static MattermostUser Caller(string roles = "system_user") => User(CallerId, "carol", roles, first: "Carol", last: "Caller");
    public static MattermostUser Bob => User(BobId, "bob", first: "Bob", last: "Stone");
    public static MattermostUser Alice => User(AliceId, "alice");
    public static MattermostUser Root => User(RootId, "root", "system_user system_admin");
    public static MattermostUser Lee => User(LeeId, "lee", authService: "ldap");

    public static MattermostSession Session(string id, string userId, TimeSpan lastActiveAgo, SessionProps? props = null, string deviceId = "", TimeSpan? expiresIn = null) => new()
    {
        Id = id,
        UserId = userId,
        CreateAt = Now.AddDays(-10).ToUnixTimeMilliseconds(),
        LastActivityAt = (Now - lastActiveAgo).ToUnixTimeMilliseconds(),
        ExpiresAt = (Now + (expiresIn ?? TimeSpan.FromDays(20))).ToUnixTimeMilliseconds(),
        DeviceId = deviceId,
        Props = props ?? new() { Platform = "Windows", Os = "Windows 10", Browser = "Chrome/120.0" },
    };

    /// <summary>26-character session ids that differ from the 9th character on, so short ids are 8 characters.</summary>
    public static string SessionId(int n) => $"s{n:D7}".PadRight(26, 'x')[..26];

    public static MattermostRole Role(string name, params string[] permissions) => new() { Name = name, Permissions = permissions };
}

/// <summary>A clock the tests set.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

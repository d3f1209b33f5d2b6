namespace SessionBot.Sandbox;

/// <summary>
/// A small believable organisation for trying the bot with no Mattermost server. Ids and tokens are fixed so the
/// README's examples work; none of them is a secret of any real server.
/// </summary>
public static class SandboxSeed
{
    public const string BotToken = "sandbox-bot-token";
    public const string TeamId = "acme00000000000000000000ac";
    public const string TeamName = "acme";
    public const string TownSquareId = "town0000000000000000000000";
    public const string OpsChannelId = "ops00000000000000000000000";

    public const string BotUserId = "sessionbot0000000000000000";
    public const string AdminId = "alex0000000000000000000000";        // system admin
    public const string HelpdeskId = "hana0000000000000000000000";     // helpdesk: edit_other_users
    public const string UserManagerId = "uma00000000000000000000000";  // user manager: may (de)activate
    public const string DanaId = "dana0000000000000000000000";         // plain user, several devices
    public const string BobId = "bob00000000000000000000000";          // plain user, owns a bot
    public const string ErinId = "erin0000000000000000000000";         // plain user, deactivated
    public const string SamId = "sam00000000000000000000000";          // signs in with GitLab (SSO)
    public const string LeeId = "lee00000000000000000000000";          // managed by LDAP
    public const string TinaId = "tina0000000000000000000000";         // uses a personal access token
    public const string GretaId = "greta000000000000000000000";        // plain user who reads Mattermost in German
    public const string BuildBotId = "buildbot000000000000000000";     // a bot owned by Bob
    public const string TinaTokenId = "tinatoken00000000000000000";
    public const string MalloryId = "mallory0000000000000000000";   // hostile names and device details (playground)

    /// <summary>The fixed session token of a demo person signed in to the playground (see <see cref="OpenPlayground"/>).</summary>
    public static string SessionTokenOf(string username) => "sandbox-session-" + username;

    /// <summary>What each demo person is for, as the playground and the README describe them.</summary>
    public static readonly IReadOnlyList<(string Id, string About)> People =
    [
        (AdminId, "system admin: may do everything"),
        (HelpdeskId, "helpdesk: may list and revoke others' sessions"),
        (UserManagerId, "user manager: may deactivate and activate; lives in Asia/Tokyo"),
        (DanaId, "plain user with several devices"),
        (BobId, "plain user; owns a bot"),
        (ErinId, "deactivated: cannot sign in"),
        (SamId, "signs in with GitLab (SSO); reads Mattermost in French"),
        (LeeId, "managed by LDAP; reads Mattermost in Spanish"),
        (TinaId, "uses a personal access token"),
        (GretaId, "plain user who reads Mattermost in German (Europe/Berlin)"),
        (MalloryId, "hostile name and device details: shown as text, never as markup"),
    ];

    /// <summary>The demo world. <paramref name="time"/> lets tests pin the clock.</summary>
    public static World CreateDemoWorld(TimeProvider? time = null)
    {
        var world = new World { Time = time ?? TimeProvider.System };
        AddDefaultRoles(world);
        world.AddRole("system_helpdesk", EmulatorApi.EditOtherUsers, "create_post");

        world.AddUser(BotUserId, "sessionbot", "system_user system_admin", first: "SessionBot", isBot: true);
        world.AddUser(AdminId, "alex", "system_user system_admin", first: "Alex", last: "Admin");
        world.AddUser(HelpdeskId, "hana", "system_user system_helpdesk", first: "Hana", last: "Helpdesk");
        world.AddUser(UserManagerId, "uma", "system_user system_user_manager", first: "Uma", last: "Manager");
        world.AddUser(DanaId, "dana", first: "Dana", last: "Devices");
        world.AddUser(BobId, "bob", first: "Bob", last: "Stone");
        world.AddUser(ErinId, "erin", first: "Erin", last: "Left").DeleteAt = world.Now - 30L * 86_400_000;
        world.AddUser(SamId, "sam", authService: "gitlab", first: "Sam", last: "Sso");
        world.AddUser(LeeId, "lee", authService: "ldap", first: "Lee", last: "Directory");
        world.AddUser(TinaId, "tina", "system_user system_user_access_token", first: "Tina", last: "Tokens");
        world.AddUser(BuildBotId, "buildbot", "system_user", first: "Build bot", isBot: true);
        world.AddUser(GretaId, "greta", first: "Greta", last: "Deutsch");
        // A mix of languages and zones, as Mattermost stores them (docs/mattermost.md §7): the replies follow each person's.
        SpeaksAndLives(world.Users[GretaId], "de", automatic: "Europe/Berlin");
        SpeaksAndLives(world.Users[SamId], "fr", automatic: "Europe/Paris");
        SpeaksAndLives(world.Users[LeeId], "es", manual: "America/Mexico_City");
        SpeaksAndLives(world.Users[UserManagerId], "en", manual: "Asia/Tokyo");
        world.Bots[BotUserId] = new Bot { UserId = BotUserId, OwnerId = AdminId, DisplayName = "SessionBot" };
        world.Bots[BuildBotId] = new Bot { UserId = BuildBotId, OwnerId = BobId, DisplayName = "Build bot" };
        world.AddAccessToken(BotUserId, "SessionBot", token: BotToken);
        world.AddAccessToken(TinaId, "CI deploy script", id: TinaTokenId, token: "sandbox-tina-token");

        world.AddSession(DanaId, World.Browser("Macintosh", "Mac OS 14.5", "Desktop App/5.8.1"), id: "k1m2n3p4q5r6s7t8u9v0w1x2y3", idle: TimeSpan.FromMinutes(4), age: TimeSpan.FromDays(12), expiresIn: TimeSpan.FromDays(17));
        world.AddSession(DanaId, new(World.Browser("iPhone", "iOS 18.1", "Mattermost Mobile/2.22")) { ["isMobile"] = "true" }, id: "m9n8b7v6c5x4z3l2k1j0h9g8f7", deviceId: "apple_rn-v2:7d1f3c", idle: TimeSpan.FromHours(2), age: TimeSpan.FromDays(40));
        world.AddSession(DanaId, World.Browser("Windows", "Windows 10", "Chrome/131.0"), id: "w1n2d3o4w5s6c7h8r9o0m1e2a3", idle: TimeSpan.FromDays(2), age: TimeSpan.FromDays(6));
        world.AddSession(DanaId, World.Browser("Linux", "Linux", "Firefox/128.0"), id: "o1l2d3l4a5p6t7o8p9x0y1z2w3", idle: TimeSpan.FromDays(35), age: TimeSpan.FromDays(65), expiresIn: TimeSpan.FromDays(-5));
        world.AddSession(BobId, World.Browser("Macintosh", "Mac OS 15.1", "Safari/18.1"), idle: TimeSpan.FromMinutes(20));
        world.AddSession(BobId, new(World.Browser("Linux", "Android 14", "Chrome/131.0")) { ["isMobile"] = "true" }, idle: TimeSpan.FromHours(5));
        world.AddSession(SamId, new(World.Browser("Windows", "Windows 11", "Edge/131.0")) { ["isOAuthUser"] = "true" }, idle: TimeSpan.FromHours(1));
        world.AddSession(LeeId, World.Browser("Windows", "Windows 11", "Chrome/131.0"), idle: TimeSpan.FromHours(3));
        world.AddSession(AdminId, World.Browser("Macintosh", "Mac OS 15.1", "Desktop App/5.8.1"), idle: TimeSpan.FromMinutes(1));
        world.AddSession(HelpdeskId, World.Browser("Windows", "Windows 11", "Chrome/131.0"), idle: TimeSpan.FromMinutes(2));
        world.AddSession(UserManagerId, World.Browser("Windows", "Windows 11", "Firefox/133.0"), idle: TimeSpan.FromMinutes(30));
        world.AddSession(TinaId, new(World.Browser("Linux", "Linux", "Firefox/133.0")), idle: TimeSpan.FromHours(8));
        world.AddSession(TinaId, new() { ["type"] = "UserAccessToken", ["user_access_token_id"] = TinaTokenId, ["is_bot"] = "false" }, idle: TimeSpan.FromMinutes(10), expiresIn: TimeSpan.FromDays(36500));
        world.AddSession(GretaId, World.Browser("Windows", "Windows 11", "Firefox/133.0"), idle: TimeSpan.FromMinutes(12), age: TimeSpan.FromDays(12));
        world.AddSession(GretaId, World.Browser("Macintosh", "Mac OS 15.1", "Desktop App/5.8.1"), idle: TimeSpan.FromHours(3), age: TimeSpan.FromDays(30));

        world.Teams[TeamId] = new Team { Id = TeamId, Name = TeamName, DisplayName = "Acme" };
        world.Channels[TownSquareId] = new Channel { Id = TownSquareId, TeamId = TeamId, Name = "town-square", DisplayName = "Town Square", Members = [.. world.Users.Keys] };
        // Public (outgoing webhooks fire only in public channels), but only the admins are members and may post.
        world.Channels[OpsChannelId] = new Channel { Id = OpsChannelId, TeamId = TeamId, Name = "ops", DisplayName = "ops", Members = [BotUserId, AdminId, HelpdeskId, UserManagerId] };
        return world;
    }

    /// <summary>
    /// What the playground adds to the demo world: Mallory, whose names and device details are hostile Markdown,
    /// HTML and mentions (every reply must show them as text), and one browser session per demo person with the
    /// fixed token <see cref="SessionTokenOf"/>, as if each had signed in to Mattermost in the playground's browser.
    /// </summary>
    public static void OpenPlayground(World world)
    {
        var mallory = world.AddUser(MalloryId, "mallory", first: "Mal <img src=x onerror=\"window.__pwned=1\">", last: "[@channel](javascript:alert(1)) <!here>");
        mallory.Nickname = "**boss** :tada: @all";
        world.AddSession(MalloryId, World.Browser("@all <script>window.__pwned=2</script>", "[Click here](https://evil.example/phish)", "Chrome/131.0 | ~~x~~"), idle: TimeSpan.FromMinutes(7));
        lock (world.Gate)
        {
            world.Channels[TownSquareId].Members.Add(MalloryId);
            foreach (var (id, _) in People)
            {
                if (world.Users[id].DeleteAt == 0)
                    SignIn(world, id);
            }
        }
    }

    /// <summary>
    /// The person's playground session (a browser on Linux) with their fixed token and id (<c>danaweb000…</c>); false
    /// when deactivated.
    /// </summary>
    public static bool SignIn(World world, string userId)
    {
        lock (world.Gate)
        {
            var user = world.Users[userId];
            if (user.DeleteAt != 0)
                return false;
            if (world.Authenticate(SessionTokenOf(user.Username)) is null)
                world.AddSession(userId, World.Browser("Linux", "Linux", "Chrome/131.0"), id: (user.Username + "web").PadRight(26, '0')[..26],
                    token: SessionTokenOf(user.Username), age: TimeSpan.Zero, idle: TimeSpan.Zero, expiresIn: TimeSpan.FromDays(30));
            return true;
        }
    }

    /// <summary>The user's language, and their zone: detected by their browser (automatic), or chosen in their settings (manual).</summary>
    private static void SpeaksAndLives(User user, string locale, string? automatic = null, string? manual = null)
    {
        user.Locale = locale;
        user.Timezone = new()
        {
            ["useAutomaticTimezone"] = manual is null ? "true" : "false",
            ["automaticTimezone"] = automatic ?? "",
            ["manualTimezone"] = manual ?? "",
        };
    }

    /// <summary>Mattermost's default system roles, with the permissions the bot's rules read.</summary>
    public static void AddDefaultRoles(World world)
    {
        world.AddRole("system_user", EmulatorApi.CreatePost, "create_direct_channel", "create_team", "list_public_teams");
        world.AddRole("system_admin", EmulatorApi.ManageSystem, EmulatorApi.EditOtherUsers, EmulatorApi.ManageUsers, EmulatorApi.RevokeUserAccessToken,
            EmulatorApi.ReadUserAccessToken, "create_user_access_token", EmulatorApi.ManageBots, EmulatorApi.ManageOthersBots, EmulatorApi.ReadOthersBots,
            EmulatorApi.ManageSlashCommands, "manage_slash_commands", EmulatorApi.CreatePost, "create_post_ephemeral");
        world.AddRole("system_user_manager", EmulatorApi.ManageUsers, "sysconsole_read_user_management_users", "read_public_channel");
        world.AddRole("system_manager", "sysconsole_read_user_management_users", "sysconsole_write_site", "read_public_channel");
        world.AddRole("system_read_only_admin", "sysconsole_read_user_management_users", "read_public_channel");
        world.AddRole("system_user_access_token", "create_user_access_token", EmulatorApi.ReadUserAccessToken, EmulatorApi.RevokeUserAccessToken);
        world.AddRole("system_guest", EmulatorApi.CreatePost);
    }
}

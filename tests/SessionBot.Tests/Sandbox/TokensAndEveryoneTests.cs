using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

public class TokensAndEveryoneTests
{
    private static bool TokenSessionExists(World world)
    {
        lock (world.Gate)
            return world.Sessions.Values.Any(s => s.Props.GetValueOrDefault("user_access_token_id") == TinaTokenId);
    }

    [Fact]
    public async Task AnyoneWithTheTokenPermissionRevokesTheirOwnTokenAndItsSessionEnds()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(TinaId, "revoke", $"token {TinaTokenId}");
        Assert.Contains("Revoked access token `tinatoke` (\"CI deploy script\") of @tina", reply);
        Assert.False(bot.World.AccessTokens.ContainsKey(TinaTokenId));
        Assert.False(TokenSessionExists(bot.World));
    }

    [Fact]
    public async Task RevokingSomeoneElsesTokenNeedsTheTokenPermissionAndTheUserRule()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("missing permission `revoke_user_access_token`", await bot.CommandAsync(DanaId, "revoke", $"token {TinaTokenId}"));
        Assert.Contains("missing permission `revoke_user_access_token`", await bot.CommandAsync(HelpdeskId, "revoke", $"token {TinaTokenId}"));
        Assert.Empty(bot.Changes);
        Assert.Contains("Revoked access token", await bot.CommandAsync(AdminId, "revoke", $"token {TinaTokenId}"));
    }

    [Fact]
    public async Task AnUnknownTokenIsNamed()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("No access token zzzzzzzzzzzzzzzzzzzzzzzzzz", await bot.CommandAsync(AdminId, "revoke", "token zzzzzzzzzzzzzzzzzzzzzzzzzz"));
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task RevokeEveryoneNeedsManageSystem()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("missing permission `manage_system`", await bot.CommandAsync(HelpdeskId, "revoke", "everyone"));
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task RevokeEveryoneSaysWhoElseIsSignedOutAndTheBotKeepsWorking()
    {
        await using var bot = await SandboxBot.StartAsync();
        var question = await bot.CommandJsonAsync(AdminId, "revoke", "everyone");
        var text = ReplyText.Plain(question);
        Assert.Contains("yours and every admin's too", text);
        Assert.Contains("SessionBot keeps working", text);
        Assert.Empty(bot.Changes);

        Assert.Contains("Signed out every user", await bot.ClickAsync(AdminId, SandboxBot.Button(question, "confirm")));
        lock (bot.World.Gate)
            Assert.DoesNotContain(bot.World.Sessions.Values, s => s.UserId != BotUserId);
        Assert.Contains("Your sessions", await bot.CommandAsync(DanaId, "sessions", ""));
    }
}

using System.Text.Json;
using SessionBot.Actions;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>Confirm before acting on others; signed one-use buttons; one-click revokes.</summary>
public class ConfirmationTests
{
    private static int SessionsOf(World world, string userId)
    {
        lock (world.Gate)
            return world.Sessions.Values.Count(s => s.UserId == userId);
    }

    private static string Text(JsonElement reply) => ReplyText.Plain(reply.GetProperty("text").GetString()!);

    private static JsonElement Resign(JsonElement context, Func<SignedAction, SignedAction> change, string secret = SandboxBot.ActionSecret) =>
        JsonSerializer.SerializeToElement(change(context.Deserialize<SignedAction>()!).SignWith(secret));

    [Fact]
    public async Task ActingOnSomeoneElseFirstSaysExactlyWhatWillHappenAndChangesNothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob @alex");

        Assert.Contains("Revoke 2 sessions of @bob (Bob Stone)? They are signed out everywhere.", ReplyText.Plain(reply));
        Assert.Contains("Not allowed for @alex", ReplyText.Plain(reply));
        Assert.Contains("Nothing has changed yet", ReplyText.Plain(reply));
        var confirm = SandboxBot.Button(reply, "confirm");
        Assert.Equal([BobId], confirm.GetProperty("t").EnumerateArray().Select(t => t.GetString()));
        var buttonIds = reply.GetProperty("attachments")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(["confirm", "cancel"], buttonIds);
        Assert.All(buttonIds, id => Assert.True(id.All(char.IsAsciiLetterOrDigit)));
        Assert.Empty(bot.Changes);
        Assert.Equal(2, SessionsOf(bot.World, BobId));
    }

    [Fact]
    public async Task ConfirmingCarriesItOutOnceAndASecondClickDoesNothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob");
        var confirm = SandboxBot.Button(reply, "confirm");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await bot.ClickAsync(HelpdeskId, confirm));
        Assert.Equal(0, SessionsOf(bot.World, BobId));
        bot.World.AddSession(BobId);

        Assert.Contains("This button was already used. Nothing changed.", await bot.ClickAsync(HelpdeskId, confirm));
        Assert.Single(bot.Changes);
        Assert.Equal(1, SessionsOf(bot.World, BobId));
    }

    [Fact]
    public async Task CancellingChangesNothingAndUsesUpTheQuestion()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandJsonAsync(UserManagerId, "deactivate", "@bob");
        Assert.Contains("Deactivate @bob (Bob Stone)? This ends all their sessions.", ReplyText.Plain(reply));
        Assert.Contains("Their bots stop working: @buildbot", ReplyText.Plain(reply));

        Assert.Contains("Cancelled. Nothing changed.", await bot.ClickAsync(UserManagerId, SandboxBot.Button(reply, "cancel")));
        Assert.Contains("already used", await bot.ClickAsync(UserManagerId, SandboxBot.Button(reply, "confirm")));
        Assert.Empty(bot.Changes);
        Assert.Equal(0, bot.World.Users[BobId].DeleteAt);
    }

    [Fact]
    public async Task SomeoneElsesClickDoesNothingAndLeavesTheButtonToItsOwner()
    {
        await using var bot = await SandboxBot.StartAsync();
        var confirm = SandboxBot.Button(await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob"), "confirm");

        Assert.Contains("Only the person who ran the command can use its buttons. Nothing changed.", await bot.ClickAsync(AdminId, confirm));
        Assert.Empty(bot.Changes);
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await bot.ClickAsync(HelpdeskId, confirm));
    }

    [Fact]
    public async Task ATamperedForgedOrExpiredButtonDoesNothing()
    {
        await using var bot = await SandboxBot.StartAsync();
        var confirm = SandboxBot.Button(await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob"), "confirm");
        var tampered = JsonSerializer.SerializeToElement(confirm.Deserialize<SignedAction>()! with { TargetIds = [AdminId] });
        var forged = Resign(confirm, a => a with { Nonce = SignedAction.NewNonce() }, secret: "someone-elses-secret-0123456789abcdef");
        var expired = Resign(confirm, a => a with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds(), Nonce = SignedAction.NewNonce() });
        var unsigned = JsonSerializer.SerializeToElement(new { a = "revoke-everyone", u = AdminId, n = "x" });

        Assert.Contains("This button is not valid", await bot.ClickAsync(HelpdeskId, tampered));
        Assert.Contains("This button is not valid", await bot.ClickAsync(HelpdeskId, forged));
        Assert.Contains("This button has expired", await bot.ClickAsync(HelpdeskId, expired));
        Assert.Contains("This button is not valid", await bot.ClickAsync(AdminId, unsigned));
        Assert.Empty(bot.Changes);
        // None of these used the real button up.
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await bot.ClickAsync(HelpdeskId, confirm));
    }

    [Fact]
    public async Task PermissionsAreDecidedAgainWhenTheButtonIsClicked()
    {
        await using var bot = await SandboxBot.StartAsync();
        var confirm = SandboxBot.Button(await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob"), "confirm");
        bot.World.Users[BobId].Roles = "system_user system_admin";

        var result = await bot.ClickAsync(HelpdeskId, confirm);

        Assert.Contains("missing permission `manage_system`", result);
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task AUsedButtonCannotBeReplayedOnAnotherInstanceSharingTheStore()
    {
        await using var first = await SandboxBot.StartAsync();
        var shared = new Dictionary<string, string?> { ["Audit:ConnectionString"] = $"Data Source={Path.Combine(first.DataFolder, "audit.db")}" };
        await using var second = SandboxBot.SecondInstance(first, shared);
        var confirm = SandboxBot.Button(await first.CommandJsonAsync(HelpdeskId, "revoke", "all @bob"), "confirm");

        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await first.ClickAsync(HelpdeskId, confirm));
        Assert.Contains("This button was already used", await second.ClickAsync(HelpdeskId, confirm));
        Assert.Single(first.Changes);
    }

    [Fact]
    public async Task YesSkipsTheQuestion()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob --yes");
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", ReplyText.Plain(reply));
        Assert.False(reply.TryGetProperty("attachments", out _));
    }

    [Fact]
    public async Task WithoutButtonsConfiguredTheQuestionAsksForYes()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Bot:PublicUrl"] = "", ["Bot:ActionSecret"] = "" });
        var reply = await bot.CommandJsonAsync(UserManagerId, "activate", "@erin");
        Assert.Contains("Activate @erin (Erin Left)?", ReplyText.Plain(reply));
        Assert.Contains("To go ahead, send `/activate @erin --yes`", ReplyText.Plain(reply));
        Assert.False(reply.TryGetProperty("attachments", out _));
        Assert.Empty(bot.Changes);
    }

    [Fact]
    public async Task DeactivatingYourselfIsConfirmedToo()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.ClientConfig["EnableUserDeactivation"] = "true";
        var reply = await bot.CommandJsonAsync(DanaId, "deactivate", "me");
        Assert.Contains("Deactivate your own account?", ReplyText.Plain(reply));
        Assert.Empty(bot.Changes);
        Assert.Contains("Deactivated @dana", await bot.ClickAsync(DanaId, SandboxBot.Button(reply, "confirm")));
        Assert.NotEqual(0, bot.World.Users[DanaId].DeleteAt);
    }

    [Fact]
    public async Task SignOutEverywhereForYourselfNeedsNoQuestion()
    {
        await using var bot = await SandboxBot.StartAsync();
        Assert.Contains("Revoked 4 sessions of yours", await bot.CommandAsync(DanaId, "revoke", "all"));
    }

    [Fact]
    public async Task SessionListsCarryOneClickRevokes()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandJsonAsync(DanaId, "sessions", "");
        var ids = reply.GetProperty("attachments")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(["revoke0", "revoke1", "revoke2", "revoke3", "revokeall"], ids);

        Assert.Contains("Revoked session `k1m2n3p4`.", await bot.ClickAsync(DanaId, SandboxBot.Button(reply, "revoke0")));
        Assert.False(bot.World.Sessions.ContainsKey("k1m2n3p4q5r6s7t8u9v0w1x2y3"));
        Assert.Contains("Revoked 3 sessions of yours", await bot.ClickAsync(DanaId, SandboxBot.Button(reply, "revokeall")));
        Assert.Equal(0, SessionsOf(bot.World, DanaId));
    }

    [Fact]
    public async Task HelpdeskRevokesSomeoneElsesSessionFromTheirList()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandJsonAsync(HelpdeskId, "sessions", "@bob");
        Assert.Contains("Revoked session", await bot.ClickAsync(HelpdeskId, SandboxBot.Button(reply, "revoke0")));
        Assert.Equal(1, SessionsOf(bot.World, BobId));
        Assert.Contains("Only the person", await bot.ClickAsync(BobId, SandboxBot.Button(reply, "revoke1")));
    }
}

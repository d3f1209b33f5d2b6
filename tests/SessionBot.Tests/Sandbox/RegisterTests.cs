using SessionBot.Registration;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

public class RegisterTests
{
    private static async Task<(int Exit, string Output, string Error)> RegisterAsync(SandboxBot bot, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await RegisterCommandLine.RunAsync(["register", .. args], bot.Services, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static SlashCommand[] CommandsOn(World world, string teamId)
    {
        lock (world.Gate)
            return world.Commands.Values.Where(c => c.TeamId == teamId).ToArray();
    }

    [Fact]
    public async Task RegisteringCreatesTheFourCommandsAndPrintsTheirTokens()
    {
        await using var bot = await SandboxBot.StartAsync();
        var (exit, output, error) = await RegisterAsync(bot, "--team", TeamName, "--url", "https://sessionbot.example.com");

        Assert.Equal(0, exit);
        var commands = CommandsOn(bot.World, TeamId);
        Assert.Equal(["activate", "deactivate", "revoke", "sessions"], commands.Select(c => c.Trigger).Order());
        Assert.All(commands, c =>
        {
            Assert.Equal("https://sessionbot.example.com/mattermost/commands", c.Url);
            Assert.Equal("P", c.Method);
            Assert.True(c.AutoComplete);
            Assert.Contains($"Mattermost__CommandTokens__{c.Trigger}={c.Token}\n", output);
        });
        Assert.Contains("/sessions: created", error);
        Assert.DoesNotContain(commands[0].Token, error);
    }

    [Fact]
    public async Task RegisteringTwiceChangesNothingTheSecondTime()
    {
        await using var bot = await SandboxBot.StartAsync();
        var first = await RegisterAsync(bot, "--team", TeamName, "--url", "https://sessionbot.example.com");
        bot.World.Requests.Clear();

        var second = await RegisterAsync(bot, "--team", TeamName, "--url", "https://sessionbot.example.com");

        Assert.Equal(0, second.Exit);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(4, second.Error.Split('\n').Count(l => l.EndsWith(": unchanged")));
        Assert.DoesNotContain(bot.World.Requests.All, r => r.Method is "POST" or "PUT");
        Assert.Equal(4, CommandsOn(bot.World, TeamId).Length);
    }

    [Fact]
    public async Task MovingTheBotUpdatesItsCommandsInPlaceKeepingTheirTokens()
    {
        await using var bot = await SandboxBot.StartAsync();
        var first = await RegisterAsync(bot, "--team", TeamName, "--url", "https://old.example.com");
        var moved = await RegisterAsync(bot, "--team", TeamName, "--url", "https://new.example.com");
        Assert.Equal(first.Output, moved.Output);
        Assert.All(CommandsOn(bot.World, TeamId), c => Assert.Equal("https://new.example.com/mattermost/commands", c.Url));
        Assert.Contains("/revoke: updated", moved.Error);
    }

    [Fact]
    public async Task TheTokensCanGoToAFileReadableOnlyByItsOwner()
    {
        await using var bot = await SandboxBot.StartAsync();
        var file = Path.Combine(Path.GetTempPath(), $"sessionbot-tokens-{Guid.NewGuid():N}.env");
        try
        {
            var (exit, output, _) = await RegisterAsync(bot, "--team", TeamName, "--url", "https://sessionbot.example.com", "--out", file);
            Assert.Equal(0, exit);
            Assert.Equal("", output);
            Assert.Equal(4, File.ReadAllLines(file).Length);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnUnknownTeamIsNamed()
    {
        await using var bot = await SandboxBot.StartAsync();
        var (exit, output, error) = await RegisterAsync(bot, "--team", "nope", "--url", "https://sessionbot.example.com");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("There is no team 'nope'", error);
    }

    [Fact]
    public async Task AMissingPermissionIsExplained()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Users[BotUserId].Roles = "system_user";
        var (exit, _, error) = await RegisterAsync(bot, "--team", TeamName, "--url", "https://sessionbot.example.com");
        Assert.Equal(1, exit);
        Assert.Contains("may not manage the slash commands of team 'acme'", error);
        Assert.Empty(CommandsOn(bot.World, TeamId));
    }

    [Fact]
    public async Task ATriggerUsedByAnotherIntegrationIsNotTakenOver()
    {
        await using var bot = await SandboxBot.StartAsync();
        lock (bot.World.Gate)
        {
            bot.World.Commands["other00000000000000000000"] = new SlashCommand
            {
                Id = "other00000000000000000000",
                TeamId = TeamId,
                Trigger = "revoke",
                Token = "other-token",
                CreatorId = AdminId,
                Url = "https://other.example.com/hook",
            };
        }
        var (exit, _, error) = await RegisterAsync(bot, "--team", TeamName, "--url", "https://sessionbot.example.com");
        Assert.Equal(1, exit);
        Assert.Contains("/revoke on team 'acme' is already used by another integration (it calls https://other.example.com/hook)", error);
        Assert.Equal("https://other.example.com/hook", bot.World.Commands["other00000000000000000000"].Url);
    }

    [Fact]
    public async Task ABadUrlIsRefusedBeforeAnyCall()
    {
        await using var bot = await SandboxBot.StartAsync();
        var (exit, _, error) = await RegisterAsync(bot, "--team", TeamName, "--url", "ftp://x");
        Assert.Equal(2, exit);
        Assert.Contains("--url must be an absolute http or https URL", error);
        Assert.Empty(bot.World.Requests.All);
    }
}

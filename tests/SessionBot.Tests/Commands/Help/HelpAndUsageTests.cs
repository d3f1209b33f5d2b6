using SessionBot.Commands;
using SessionBot.Commands.Help;

namespace SessionBot.Tests.Commands.Help;

/// <summary><c>/&lt;trigger&gt; help</c> and input that does not parse: <see cref="HelpHandler"/>, <see cref="UsageHandler"/>.</summary>
public class HelpAndUsageTests
{
    private static Task<string> HelpAsync(BotUnderTest bot, string trigger) =>
        bot.RunAsync<HelpCommand>(new HelpHandler(bot.UserDirectory, bot.RoleCache, bot.Server, bot.Readers, bot.Trail, bot.Replies).HandleAsync, trigger, "help");

    private static Task<string> UsageAsync(BotUnderTest bot, string trigger, string text) =>
        bot.RunAsync<UsageError>(new UsageHandler(bot.Trail, bot.Readers, bot.Replies).HandleAsync, trigger, text);

    [Fact]
    public async Task HelpSaysWhatThisCallerMayDo()
    {
        var plain = await HelpAsync(new BotUnderTest(), "revoke");
        Assert.Contains("You may act on your own sessions only.", plain);
        var admin = await HelpAsync(new BotUnderTest().CallerRoles("system_admin"), "revoke");
        Assert.Contains("You may act on other people's sessions.", admin);
    }

    [Fact]
    public async Task BadInputGetsAUsageReplyAndNoMattermostCall()
    {
        var bot = new BotUnderTest();
        var reply = await UsageAsync(bot, "revoke", "ab");
        Assert.Contains("too short", reply);
        Assert.Contains("Usage:", reply);
        Assert.Empty(bot.Mattermost.Invocations);
    }
}

using Moq;
using SessionBot.Commands.Activate;

namespace SessionBot.Tests.Commands.Activate;

/// <summary><c>/activate &lt;target …&gt;</c>: <see cref="ActivateHandler"/>.</summary>
public class ActivateTests
{
    private const string BobId = TestData.BobId;

    private static Task<string> ActivateAsync(BotUnderTest bot, string text) =>
        bot.RunAsync<ActivateCommand>(new ActivateHandler(bot.Pipeline, bot.Trail, bot.Client).HandleAsync, "activate", text);

    [Fact]
    public async Task ActivateReactivatesADeactivatedUser()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").Add(TestData.User("gone000000000000000000000g", "gone", deleteAt: 1700000000000));
        var reply = await ActivateAsync(bot, "@gone @bob --yes");
        Assert.Contains("Activated @gone.", reply);
        Assert.Contains("@bob is already active. Nothing changed.", reply);
        bot.Mattermost.Verify(c => c.SetActiveAsync("gone000000000000000000000g", true, It.IsAny<CancellationToken>()), Times.Once);
        bot.Mattermost.Verify(c => c.SetActiveAsync(BobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

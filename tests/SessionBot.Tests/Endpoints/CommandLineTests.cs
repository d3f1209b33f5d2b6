using System.Net;
using System.Net.Sockets;

namespace SessionBot.Tests.Endpoints;

/// <summary>The program's command line as an operator uses it, in a process of its own.</summary>
public class CommandLineTests
{
    /// <summary>Development: where the bot would start the sandbox on port 8065 before doing anything else.</summary>
    private static readonly Dictionary<string, string> Development = new() { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["DOTNET_ENVIRONMENT"] = "Development" };

    [Theory]
    [InlineData("register", "--help")]
    [InlineData("--help")]
    [InlineData("register", "-h")]
    public async Task HelpStartsNothingAndWorksWhileTheSandboxPortIsTaken(params string[] args)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 8065);
        try
        {
            taken.Start();
        }
        catch (SocketException)
        {
            // Something else already holds the port: taken either way.
        }

        await using var bot = BotProcess.Start(Development, args);
        try
        {
            await bot.ExitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"`SessionBot {string.Join(' ', args)}` did not exit: it started serving instead of answering.");
        }
        await bot.StopAsync(TimeSpan.FromSeconds(10));

        var output = string.Join('\n', bot.Output);
        Assert.True(bot.ExitCode == 0, $"exit {bot.ExitCode}: {string.Join('\n', bot.Error)}");
        Assert.Contains("Usage:", output);
        Assert.Contains(args[0] == "register" ? "--team" : "register", output);
        Assert.DoesNotContain("sandbox", output + string.Join('\n', bot.Error), StringComparison.OrdinalIgnoreCase);
    }
}

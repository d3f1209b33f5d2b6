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

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InDevelopmentUrlsOrAspNetCoreUrlsMoveTheBotAndThePublicUrlFollows(bool byEnvironment)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var data = Directory.CreateTempSubdirectory("sessionbot-urls-");
        var environment = new Dictionary<string, string>(Development) { ["Audit__ConnectionString"] = $"Data Source={Path.Combine(data.FullName, "audit.db")}" };
        if (byEnvironment)
            environment["ASPNETCORE_URLS"] = url;
        string[] args = byEnvironment ? ["--Sandbox:Url", "http://127.0.0.1:0"] : ["--urls", url, "--Sandbox:Url", "http://127.0.0.1:0"];
        await using var bot = BotProcess.Start(environment, args);
        var sandboxLine = await bot.LineAsync(l => l.Contains("Mattermost sandbox", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var sandbox = System.Text.RegularExpressions.Regex.Match(sandboxLine, @"http://127\.0\.0\.1:\d+").Value;
        await bot.LineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/healthz")).StatusCode);
        // The sandbox registered the commands where the bot listens: Bot:PublicUrl followed the address.
        using var list = new HttpRequestMessage(HttpMethod.Get, $"{sandbox}/api/v4/commands?team_id={SessionBot.Sandbox.SandboxSeed.TeamId}&custom_only=true");
        list.Headers.Authorization = new("Bearer", SessionBot.Sandbox.SandboxSeed.BotToken);
        var commands = await (await http.SendAsync(list)).Content.ReadAsStringAsync();
        Assert.Contains($"\"url\":\"{url}/mattermost/commands\"", commands);

        await bot.StopAsync(TimeSpan.FromSeconds(30));
        data.Delete(recursive: true);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SessionBot.Tests.Endpoints;

/// <summary>The program as an operator runs it: <c>dotnet SessionBot.dll …</c> in its own process.</summary>
public class CommandLineTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionBot.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (SessionBot.sln) was not found above the test's folder.");
    }

    private static async Task<(int Exit, string Output, string Error)> RunBotAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SessionBot.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Development: where the bot would start the sandbox on port 8065 before doing anything else.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`SessionBot {string.Join(' ', args)}` did not exit: it started serving instead of answering.");
        }
        return (process.ExitCode, await output, await error);
    }

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

        var (exit, output, error) = await RunBotAsync(args);

        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Contains("Usage:", output);
        Assert.Contains(args[0] == "register" ? "--team" : "register", output);
        Assert.DoesNotContain("sandbox", output + error, StringComparison.OrdinalIgnoreCase);
    }
}

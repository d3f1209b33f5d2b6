using System.CommandLine;
using SessionBot.Mattermost;

namespace SessionBot.Registration;

/// <summary><c>SessionBot register --team &lt;name&gt; --url &lt;public bot url&gt; [--out file] [--manifest file]</c>.</summary>
public static class RegisterCommandLine
{
    public static bool IsRequested(string[] args) => args is ["register", ..];

    /// <summary><c>--help</c> anywhere: answered before anything starts (no host, no sandbox, no port).</summary>
    public static bool AsksForHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?" or "/?" or "/h");

    /// <summary>Help for the program and its <c>register</c> command; starts nothing.</summary>
    public static Task<int> HelpAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, static () => throw new InvalidOperationException("Help needs no services."), output, error);

    /// <param name="services">The bot's services; asked for only when registration actually runs.</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error) =>
        RunAsync(args, () => services, output, error);

    private static async Task<int> RunAsync(string[] args, Func<IServiceProvider> services, TextWriter output, TextWriter error)
    {
        Option<string> team = new("--team") { Description = "The team's name, as in its URL.", Required = true };
        Option<string> url = new("--url") { Description = "The bot's public base URL, as Mattermost reaches it, e.g. https://sessionbot.example.com.", Required = true };
        Option<FileInfo> outFile = new("--out") { Description = "Write the configuration lines with the tokens to this file (mode 600) instead of standard output." };
        Option<FileInfo> manifestFile = new("--manifest") { Description = "The command definitions (default: the manifest shipped with the bot)." };
        var register = new Command("register", "Create or update the four slash commands on a team and print their tokens.") { team, url, outFile, manifestFile };
        register.SetAction(async (parsed, ct) =>
        {
            if (!Uri.TryCreate(parsed.GetValue(url), UriKind.Absolute, out var botUrl) || botUrl.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync("--url must be an absolute http or https URL.");
                return 2;
            }
            try
            {
                var manifest = Manifest.Load(parsed.GetValue(manifestFile)?.FullName ?? Manifest.DefaultPath);
                var registration = new CommandRegistration(services().GetRequiredService<IMattermostClient>());
                var commands = await registration.RegisterAsync(parsed.GetValue(team)!, botUrl, manifest, ct);
                foreach (var command in commands)
                    await error.WriteLineAsync($"/{command.Trigger}: {command.Change.ToString().ToLowerInvariant()}");
                var lines = CommandRegistration.ConfigurationLines(commands);
                if (parsed.GetValue(outFile) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, lines, ct);
                    if (!OperatingSystem.IsWindows())
                        File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    await error.WriteLineAsync($"The command tokens are in {file.FullName}.");
                }
                else
                {
                    await output.WriteAsync(lines);
                }
                return 0;
            }
            catch (Exception e) when (e is RegistrationException or IOException or System.Text.Json.JsonException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                await error.WriteLineAsync("register: " + e.Message);
                return 1;
            }
        });
        var root = new RootCommand(
            "SessionBot, a Mattermost bot for sessions and accounts. With no command it serves the bot; ASP.NET Core's " +
            "settings apply (--urls http://0.0.0.0:5080, --environment Production, Section:Key=value, or environment variables).")
        { register };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}

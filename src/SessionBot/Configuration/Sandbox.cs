using SessionBot.Sandbox;

namespace SessionBot.Configuration;

/// <summary>
/// Section <c>Sandbox</c>: in Development, the bot can host a Mattermost emulator with a demo organisation and talk
/// to it, so it can be tried with no Mattermost server. Refused in any other environment.
/// </summary>
public static class Sandbox
{
    public const string Section = "Sandbox";

    public static async Task AddSandboxAsync(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        if (!section.GetValue<bool>("Enabled"))
            return;
        if (!builder.Environment.IsDevelopment())
            throw new InvalidOperationException($"Sandbox:Enabled is only allowed in Development (this is {builder.Environment.EnvironmentName}): the sandbox is a fake Mattermost.");
        var url = section.GetValue<string>("Url") ?? "http://127.0.0.1:8065";
        var server = await EmulatorServer.StartAsync(SandboxSeed.CreateDemoWorld(), url);
        builder.Services.AddSingleton(server);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Mattermost:Url"] = server.BaseUrl });
        Console.WriteLine($"Mattermost sandbox (an emulator with demo users) at {server.BaseUrl}. Try the README's curl example.");
    }
}

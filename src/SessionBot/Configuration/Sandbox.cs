using SessionBot.Registration;
using SessionBot.Sandbox;

namespace SessionBot.Configuration;

/// <summary>
/// Section <c>Sandbox</c>: in Development, the bot can host a Mattermost emulator with a demo organisation and talk
/// to it, so it can be tried with no Mattermost server. Refused in any other environment. The emulator also serves
/// the playground page, and runs SessionBot's commands, buttons and ops-channel webhook the way Mattermost does.
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
        var world = SandboxSeed.CreateDemoWorld();
        SandboxSeed.OpenPlayground(world);
        RegisterSessionBot(world, builder.Configuration);
        var server = await EmulatorServer.StartAsync(world, url);
        builder.Services.AddSingleton(server);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Mattermost:Url"] = server.BaseUrl });
        Console.WriteLine($"Mattermost sandbox (an emulator with demo users) at {server.BaseUrl}: open it in a browser to try SessionBot.");
    }

    /// <summary>
    /// What an admin would have set up on a real server, done inside the emulator: the manifest's four commands
    /// registered as <c>register</c> registers them, pointing at this bot, each with the token this bot is configured
    /// to accept for it; and an outgoing webhook on the ops channel with the configured webhook token.
    /// </summary>
    private static void RegisterSessionBot(World world, IConfiguration configuration)
    {
        var botUrl = new Uri(configuration["Bot:PublicUrl"] is { Length: > 0 } publicUrl ? publicUrl : "http://localhost:5080");
        var manifest = Manifest.Load(Manifest.DefaultPath);
        foreach (var entry in manifest.Commands)
        {
            var command = new SlashCommand
            {
                Id = World.NewId(),
                TeamId = SandboxSeed.TeamId,
                Trigger = entry.Trigger,
                // A trigger whose token is not configured gets one the bot does not know: the bot refuses it.
                Token = configuration[$"Mattermost:CommandTokens:{entry.Trigger}"] is { Length: > 0 } token ? token : World.NewId(),
                CreatorId = SandboxSeed.BotUserId,
                Method = entry.Method,
                Url = new Uri(botUrl, "/mattermost/commands").ToString(),
                DisplayName = entry.DisplayName,
                Description = entry.Description,
                AutoComplete = entry.AutoComplete,
                AutoCompleteDesc = entry.AutoCompleteDesc,
                AutoCompleteHint = entry.AutoCompleteHint,
                Username = entry.Username,
                CreateAt = world.Now,
                UpdateAt = world.Now,
            };
            lock (world.Gate)
                world.Commands[command.Id] = command;
        }
        lock (world.Gate)
        {
            world.OutgoingWebhooks.Add(new OutgoingWebhook
            {
                Id = World.NewId(),
                Token = configuration["Mattermost:WebhookTokens:0"] is { Length: > 0 } webhookToken ? webhookToken : World.NewId(),
                TeamId = SandboxSeed.TeamId,
                ChannelId = configuration["Mattermost:OpsChannelId"] is { Length: > 0 } ops ? ops : SandboxSeed.OpsChannelId,
                CreatorId = SandboxSeed.AdminId,
                TriggerWords = [.. manifest.Commands.Select(c => c.Trigger)],
                CallbackUrls = [new Uri(botUrl, "/mattermost/webhooks").ToString()],
                DisplayName = "SessionBot",
                Username = "sessionbot",
            });
        }
    }
}

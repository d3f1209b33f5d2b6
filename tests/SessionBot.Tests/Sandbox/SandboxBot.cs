using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SessionBot.Sandbox;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// The real bot (real client, real SQLite audit store) against the Mattermost emulator over loopback HTTP, seeded
/// with the demo organisation. Commands are sent as the given demo user, with the exact form Mattermost sends.
/// </summary>
public sealed class SandboxBot : IAsyncDisposable
{
    public const string CommandToken = "http-test-command-token";
    public const string WebhookToken = "http-test-webhook-token";
    public const string ActionSecret = "http-test-action-secret-0123456789abcdef";
    private readonly Application app;
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("sessionbot-http-");

    public string DataFolder => data.FullName;

    private SandboxBot(EmulatorServer emulator, IDictionary<string, string?> extra)
    {
        Emulator = emulator;
        var settings = new Dictionary<string, string?>
        {
            ["Mattermost:Url"] = emulator.BaseUrl,
            ["Mattermost:BotToken"] = SandboxSeed.BotToken,
            ["Mattermost:TimeoutSeconds"] = "2",
            ["Mattermost:OpsChannelId"] = SandboxSeed.OpsChannelId,
            ["Mattermost:WebhookTokens:0"] = WebhookToken,
            ["Audit:ConnectionString"] = $"Data Source={Path.Combine(data.FullName, "audit.db")}",
            ["RateLimit:Burst"] = "1000",
            ["Bot:PublicUrl"] = "http://sessionbot.test",
            ["Bot:ActionSecret"] = ActionSecret,
            // Everything is logged, so the secrets test reads every line the app could write.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        };
        foreach (var trigger in new[] { "sessions", "revoke", "deactivate", "activate" })
            settings[$"Mattermost:CommandTokens:{trigger}"] = CommandToken;
        foreach (var (key, value) in extra)
            settings[key] = value;
        app = new Application(settings, Logs);
    }

    public EmulatorServer Emulator { get; }
    public World World => Emulator.World;
    public LogSink Logs { get; } = new();

    public static async Task<SandboxBot> StartAsync(IDictionary<string, string?>? settings = null) =>
        new(await EmulatorServer.StartAsync(SandboxSeed.CreateDemoWorld()), settings ?? new Dictionary<string, string?>());

    /// <summary>A second bot instance on the same emulator (and, with the same settings, the same audit store).</summary>
    public static SandboxBot SecondInstance(SandboxBot first, IDictionary<string, string?> settings) => new(first.Emulator, settings) { ownsEmulator = false };

    private bool ownsEmulator = true;

    /// <summary>Sends <c>/trigger text</c> as <paramref name="userId"/>; returns the reply's text with Markdown escapes removed.</summary>
    public async Task<string> CommandAsync(string userId, string trigger, string text)
    {
        var reply = await CommandJsonAsync(userId, trigger, text);
        return ReplyText.Plain(reply);
    }

    public async Task<JsonElement> CommandJsonAsync(string userId, string trigger, string text, string responseUrl = "")
    {
        using var response = await PostCommandAsync(userId, trigger, text, responseUrl);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        await OpsNoticesPostedAsync();
        return reply;
    }

    /// <summary>Ops-channel notices and direct messages are posted in the background: waits until those started so far are posted.</summary>
    public Task OpsNoticesPostedAsync() => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SessionBot.Audit.BackgroundPosts>(app.Services).IdleAsync();

    /// <summary>
    /// A call the bot makes in the background, after the reply (an ops-channel notice, a direct message and its
    /// channel): not part of a command's own work.
    /// </summary>
    public static bool IsBackgroundPost(LoggedRequest request) => request.Path.EndsWith("/posts") || request.Path == "/api/v4/channels/direct";

    /// <summary>
    /// Posts the command the way Mattermost does (mentions included: those Mattermost would send, unless
    /// <paramref name="mentions"/> gives others, as a forged request could); the raw response.
    /// </summary>
    public async Task<HttpResponseMessage> PostCommandAsync(string userId, string trigger, string text, string responseUrl = "",
        IEnumerable<KeyValuePair<string, string>>? mentions = null)
    {
        using var client = app.CreateClient();
        var fields = new Dictionary<string, string>
        {
            ["channel_id"] = SandboxSeed.TownSquareId,
            ["channel_name"] = "town-square",
            ["command"] = "/" + trigger,
            ["response_url"] = responseUrl,
            ["team_domain"] = SandboxSeed.TeamName,
            ["team_id"] = SandboxSeed.TeamId,
            ["text"] = text,
            ["token"] = CommandToken,
            ["trigger_id"] = "t",
            ["user_id"] = userId,
            ["user_name"] = World.Users[userId].Username,
        };
        return await client.PostAsync("/mattermost/commands", new FormUrlEncodedContent([.. fields, .. mentions ?? World.MentionsIn(text)]));
    }

    /// <summary>
    /// Posts <paramref name="message"/> as <paramref name="userId"/> in a channel the way an outgoing webhook does
    /// (form encoding); returns the reply's text with Markdown escapes removed.
    /// </summary>
    public async Task<string> WebhookAsync(string userId, string channelId, string message)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsync("/mattermost/webhooks", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["channel_id"] = channelId,
            ["channel_name"] = World.Channels[channelId].Name,
            ["file_ids"] = "",
            ["post_id"] = "post0000000000000000000000",
            ["team_domain"] = SandboxSeed.TeamName,
            ["team_id"] = SandboxSeed.TeamId,
            ["text"] = message,
            ["timestamp"] = "1763800000",
            ["token"] = WebhookToken,
            ["trigger_word"] = message.Split(' ')[0],
            ["user_id"] = userId,
            ["user_name"] = World.Users[userId].Username,
        }));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("comment", body.GetProperty("response_type").GetString());
        await OpsNoticesPostedAsync();
        return body.GetProperty("text").GetString()!.Replace("\\", "").Replace("\u200D", "");
    }

    /// <summary>Clicks a button as <paramref name="userId"/>, sending the context the way Mattermost does; returns the ephemeral text.</summary>
    public async Task<string> ClickAsync(string userId, JsonElement context)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/mattermost/actions", new
        {
            user_id = userId,
            user_name = World.Users[userId].Username,
            channel_id = SandboxSeed.TownSquareId,
            channel_name = "town-square",
            team_id = SandboxSeed.TeamId,
            team_domain = SandboxSeed.TeamName,
            post_id = "post0000000000000000000000",
            trigger_id = "t",
            type = "",
            data_source = "",
            context,
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        await OpsNoticesPostedAsync();
        return ReplyText.Plain(body, "ephemeral_text");
    }

    /// <summary>The context of the reply's button with this id.</summary>
    public static JsonElement Button(JsonElement reply, string id) =>
        reply.GetProperty("attachments").EnumerateArray().SelectMany(a => a.GetProperty("actions").EnumerateArray())
            .Single(a => a.GetProperty("id").GetString() == id).GetProperty("integration").GetProperty("context");

    /// <summary>The changing calls the emulator answered since the last <see cref="RequestLog.Clear"/>.</summary>
    public IReadOnlyList<LoggedRequest> Changes => World.Requests.All.Where(r => r.IsChange && !IsBackgroundPost(r)).ToArray();

    public HttpClient CreateClient() => app.CreateClient();

    public IServiceProvider Services => app.Services;

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        if (ownsEmulator)
            await Emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }

    private sealed class Application(IDictionary<string, string?> settings, LogSink logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            // Only the sink: console logging at Trace floods the test output and slows every test.
            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }
    }
}

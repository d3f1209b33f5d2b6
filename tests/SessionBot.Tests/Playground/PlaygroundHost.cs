using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionBot.Sandbox;

namespace SessionBot.Tests.Playground;

/// <summary>
/// The bot as <c>dotnet run</c> starts it: the Development environment, the repository's
/// <c>appsettings.Development.json</c>, the in-process sandbox with its playground, SessionBot's commands and webhook
/// registered in it. Only where things live differs: both listen on free loopback ports (the bot on Kestrel, so the
/// emulator can call it over HTTP) and the audit trail goes to a temporary folder.
/// </summary>
public sealed class PlaygroundHost : IAsyncDisposable
{
    private readonly Application app;
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("sessionbot-playground-");

    private PlaygroundHost(int port)
    {
        BotUrl = $"http://127.0.0.1:{port}";
        app = new Application(new Dictionary<string, string?>
        {
            ["Urls"] = BotUrl,
            ["Sandbox:Url"] = "http://127.0.0.1:0",
            ["Bot:PublicUrl"] = BotUrl,
            ["Audit:ConnectionString"] = $"Data Source={Path.Combine(data.FullName, "audit.db")}",
            ["RateLimit:Burst"] = "1000",
        }, Logs);
        app.UseKestrel();
    }

    public string BotUrl { get; }
    public LogSink Logs { get; } = new();
    public EmulatorServer Emulator => app.Host.Services.GetRequiredService<EmulatorServer>();
    public World World => Emulator.World;

    /// <summary>The playground page: the emulator's own address.</summary>
    public string PageUrl => Emulator.BaseUrl + "/";

    public static Task<PlaygroundHost> StartAsync()
    {
        var host = new PlaygroundHost(FreePort());
        host.app.StartServer();
        return Task.FromResult(host);
    }

    /// <summary>A client signed in to the emulator as a demo person, with their fixed playground session token.</summary>
    public HttpClient As(string username)
    {
        var client = new HttpClient { BaseAddress = new Uri(Emulator.BaseUrl + "/api/v4/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxSeed.SessionTokenOf(username));
        return client;
    }

    /// <summary>Runs <c>/trigger text</c> as Mattermost's own clients do; the status and the body the emulator answers.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> ExecuteAsync(string username, string command, string channelId = SandboxSeed.TownSquareId)
    {
        using var client = As(username);
        using var response = await client.PostAsJsonAsync("commands/execute", new { channel_id = channelId, team_id = SandboxSeed.TeamId, command, root_id = "" });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Ops-channel notices are posted in the background: waits until those started so far are posted.</summary>
    public Task OpsNoticesPostedAsync() => app.Host.Services.GetRequiredService<SessionBot.Audit.OpsChannel>().IdleAsync();

    public async ValueTask DisposeAsync()
    {
        // The bot's container does not own the sandbox it was handed (dotnet run ends with the process): stop it here.
        var emulator = Emulator;
        await app.DisposeAsync();
        await emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Application(IDictionary<string, string?> settings, LogSink logs) : WebApplicationFactory<Program>
    {
        /// <summary>The app's host (with Kestrel, the factory's own <c>Services</c> is not the app's).</summary>
        public IHost Host { get; private set; } = null!;

        protected override IHost CreateHost(IHostBuilder builder) => Host = base.CreateHost(builder);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // Settings, not app configuration: the sandbox is set up while Program builds, before app configuration applies.
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs));
        }
    }
}

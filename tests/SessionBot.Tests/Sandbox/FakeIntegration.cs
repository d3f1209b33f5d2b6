using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// An integration on real HTTP that records what the emulator sends it and answers as each test says: the other
/// end of a slash command, a button or an outgoing webhook.
/// </summary>
public sealed class FakeIntegration : IAsyncDisposable
{
    public sealed record Received(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string ContentType, string Body)
    {
        /// <summary>The form body (or query) as ordered pairs, repeated keys included.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Form => [.. (Method == "GET" ? Query.TrimStart('?') : Body).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => KeyValuePair.Create(Uri.UnescapeDataString(kv[0].Replace('+', ' ')), Uri.UnescapeDataString(kv.ElementAtOrDefault(1)?.Replace('+', ' ') ?? "")))];

        public string Field(string key) => Form.Single(f => f.Key == key).Value;

        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    private readonly WebApplication app;
    private readonly Channel<Received> received = System.Threading.Channels.Channel.CreateUnbounded<Received>();

    private FakeIntegration(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>e.g. <c>http://127.0.0.1:40123</c>; every path is answered.</summary>
    public string Url { get; }

    /// <summary>How the next requests are answered; by default a JSON ephemeral text.</summary>
    public Func<HttpContext, Task> Respond { get; set; } = http => http.Response.WriteAsJsonAsync(new { text = "ok" });

    public static async Task<FakeIntegration> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeIntegration? fake = null;
        app.Run(async http =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            await fake!.received.Writer.WriteAsync(new Received(http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", headers, http.Request.ContentType ?? "", body));
            await fake.Respond(http);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeIntegration(app, address);
        return fake;
    }

    /// <summary>The next request the integration received (waits for it, at most 30 s).</summary>
    public async Task<Received> NextRequestAsync() => await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public bool TryTakeRequest(out Received? request) => received.Reader.TryRead(out request);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>The emulator with the playground's people signed in and commands pointing at a <see cref="FakeIntegration"/>.</summary>
public sealed class EmulatorWithIntegration : IAsyncDisposable
{
    public const string CommandToken = "fake-command-token";

    private EmulatorWithIntegration(EmulatorServer server, FakeIntegration integration)
    {
        Server = server;
        Integration = integration;
    }

    public EmulatorServer Server { get; }
    public FakeIntegration Integration { get; }
    public World World => Server.World;

    public static async Task<EmulatorWithIntegration> StartAsync(TimeProvider? time = null)
    {
        var world = CreateDemoWorld(time);
        OpenPlayground(world);
        var integration = await FakeIntegration.StartAsync();
        foreach (var (trigger, method) in new[] { ("sessions", "P"), ("getter", "G") })
        {
            var id = World.NewId();
            world.Commands[id] = new SlashCommand
            {
                Id = id,
                TeamId = TeamId,
                Trigger = trigger,
                Token = CommandToken,
                Method = method,
                Url = integration.Url + "/commands",
                Username = "sessionbot",
                AutoComplete = true,
                AutoCompleteHint = "[@username]",
                AutoCompleteDesc = "List sessions",
            };
        }
        return new EmulatorWithIntegration(await EmulatorServer.StartAsync(world), integration);
    }

    /// <summary>A client signed in as a demo person (the playground's session token).</summary>
    public HttpClient As(string username)
    {
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl + "/api/v4/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SessionTokenOf(username));
        return client;
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> ExecuteAsync(string username, string command, string channelId = TownSquareId, string rootId = "")
    {
        using var client = As(username);
        using var response = await client.PostAsJsonAsync("commands/execute", new { channel_id = channelId, team_id = TeamId, command, root_id = rootId });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>The channel's posts as <paramref name="username"/>'s client reads them, oldest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> PostsAsync(string username, string channelId = TownSquareId)
    {
        using var client = As(username);
        var list = await client.GetFromJsonAsync<JsonElement>($"channels/{channelId}/posts");
        var posts = list.GetProperty("posts");
        return [.. list.GetProperty("order").EnumerateArray().Reverse().Select(id => posts.GetProperty(id.GetString()!))];
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Integration.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionBot.Sandbox.Playground;

namespace SessionBot.Sandbox;

/// <summary>The emulator on real HTTP (Kestrel), with the playground page at <c>/</c>, for the Development sandbox and for tests.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private EmulatorServer(WebApplication app, World world, string baseUrl)
    {
        this.app = app;
        World = world;
        BaseUrl = baseUrl;
    }

    public World World { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>: what the bot's <c>Mattermost:Url</c> is set to.</summary>
    public string BaseUrl { get; }

    /// <param name="url">Where to listen; port 0 picks a free port.</param>
    public static Task<EmulatorServer> StartAsync(World world, string url = "http://127.0.0.1:0", CancellationToken ct = default)
    {
        // Built outside the caller's async flow: the bot starts its sandbox while its own host is being built, and a
        // listener that watches that flow for the app's host (WebApplicationFactory's) must not take the emulator's.
        using (ExecutionContext.SuppressFlow())
            return Task.Run(() => StartInOwnFlowAsync(world, url, ct), ct);
    }

    private static async Task<EmulatorServer> StartInOwnFlowAsync(World world, string url, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseEmulator(world);
        app.MapEmulator(world);
        app.MapPlayground(world);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");
        // The server's SiteURL: what response URLs start with.
        world.Settings.SiteUrl = baseUrl;
        return new EmulatorServer(app, world, baseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

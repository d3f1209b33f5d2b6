using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace SessionBot.Sandbox.Playground;

/// <summary>
/// The playground: a page at <c>/</c> (plain HTML, CSS and JavaScript embedded in this assembly) that uses the
/// emulator's Mattermost API as Mattermost's own clients do, plus a few <b>sandbox-only</b> endpoints under
/// <c>/sandbox/</c> that no real Mattermost server has: the demo people and their tokens, the emulator's state of a
/// person (as an admin would see it in the System Console), signing in again, Markdown rendering, and a change feed
/// (where a real client has the websocket).
/// </summary>
public static class PlaygroundEndpoints
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (byte[] Body, string ContentType, string ETag)> Files = LoadFiles();

    public static void MapPlayground(this IEndpointRouteBuilder app, World world)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html"));
        app.MapGet("/playground/{file}", (string file, HttpContext http) => Serve(http, file));

        var sandbox = app.MapGroup("/sandbox");
        sandbox.MapGet("/people", () =>
        {
            lock (world.Gate)
            {
                return Results.Json(new
                {
                    team = world.Teams.Values.Select(t => new { id = t.Id, name = t.Name, display_name = t.DisplayName }).First(),
                    bot_user_id = SandboxSeed.BotUserId,
                    town_square_id = SandboxSeed.TownSquareId,
                    ops_channel_id = SandboxSeed.OpsChannelId,
                    people = SandboxSeed.People.Where(p => world.Users.ContainsKey(p.Id)).Select(p => Person(world, world.Users[p.Id], p.About)).ToArray(),
                });
            }
        });
        sandbox.MapGet("/people/{id}", (string id) =>
        {
            lock (world.Gate)
            {
                if (!world.Users.TryGetValue(id, out var user))
                    return Results.NotFound();
                var now = world.Now;
                return Results.Json(new
                {
                    person = Person(world, user, SandboxSeed.People.FirstOrDefault(p => p.Id == id).About ?? ""),
                    sessions = world.Sessions.Values.Where(s => s.UserId == id).OrderByDescending(s => s.LastActivityAt).Select(s => new
                    {
                        id = s.Id,
                        device = s.DeviceId,
                        platform = s.Props.GetValueOrDefault("platform", ""),
                        os = s.Props.GetValueOrDefault("os", ""),
                        browser = s.Props.GetValueOrDefault("browser", ""),
                        access_token = s.Props.GetValueOrDefault("type") == "UserAccessToken",
                        playground = s.Token == SandboxSeed.SessionTokenOf(user.Username),
                        create_at = s.CreateAt,
                        last_activity_at = s.LastActivityAt,
                        expires_at = s.ExpiresAt,
                        expired = s.ExpiresAt <= now,
                    }).ToArray(),
                    access_tokens = world.AccessTokens.Values.Where(t => t.UserId == id).Select(t => new { id = t.Id, description = t.Description, is_active = t.IsActive }).ToArray(),
                });
            }
        });
        sandbox.MapPost("/people/{id}/sign-in", (string id) =>
        {
            if (!world.Users.ContainsKey(id))
                return Results.NotFound();
            if (!SandboxSeed.SignIn(world, id))
                return EmulatorApi.Error(401, "api.user.login.inactive.app_error", "Login failed because your account has been deactivated.  Please contact an administrator.");
            world.Changed();
            return Results.Ok();
        });
        // What a channel shows everyone (no ephemeral posts), read without signing in: the ops notices beside the page.
        sandbox.MapGet("/channels/{id}/posts", (string id) =>
        {
            lock (world.Gate)
                return world.Channels.ContainsKey(id) ? Results.Json(EmulatorApi.PostList(world.PostsIn(id, readerId: null))) : Results.NotFound();
        });
        sandbox.MapGet("/changes", async (long? after, HttpContext http, IHostApplicationLifetime lifetime) =>
        {
            // A waiting page must not hold up the emulator's shutdown.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                return Results.Json(new { version = await world.WaitForChangeAsync(after ?? -1, TimeSpan.FromSeconds(25), stop.Token) });
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
        });

        var markdown = new PlaygroundMarkdown(name =>
        {
            lock (world.Gate)
                return world.Users.Values.Any(u => u.Username == name);
        });
        sandbox.MapPost("/markdown", async (HttpContext http) =>
        {
            string[]? texts;
            try
            {
                texts = await JsonSerializer.DeserializeAsync<string[]>(http.Request.Body, cancellationToken: http.RequestAborted);
            }
            catch (JsonException)
            {
                texts = null;
            }
            if (texts is not { Length: <= 500 } || texts.Any(t => t is null || t.Length > 100_000))
                return Results.BadRequest();
            return Results.Json(texts.Select(markdown.ToHtml).ToArray());
        });
    }

    private static object Person(World world, User user, string about) => new
    {
        id = user.Id,
        username = user.Username,
        first_name = user.FirstName,
        last_name = user.LastName,
        nickname = user.Nickname,
        roles = user.Roles,
        auth_service = user.AuthService,
        about,
        active = user.DeleteAt == 0,
        session_token = SandboxSeed.SessionTokenOf(user.Username),
        signed_in = world.Sessions.Values.Any(s => s.Token == SandboxSeed.SessionTokenOf(user.Username) && s.ExpiresAt > world.Now) && user.DeleteAt == 0,
        sessions = world.Sessions.Values.Count(s => s.UserId == user.Id),
    };

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Files.TryGetValue(file, out var found))
            return Results.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = found.ETag;
        if (http.Request.Headers.IfNoneMatch == found.ETag)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(found.Body, found.ContentType);
    }

    private static Dictionary<string, (byte[], string, string)> LoadFiles()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("playground/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var body = buffer.ToArray();
            var type = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[name["playground/".Length..]] = (body, type, $"\"{Convert.ToHexString(SHA256.HashData(body))[..16]}\"");
        }
        return files;
    }
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// The floor: the least any bot doing the bot's job must do for a command. Its own process (the harness's build,
/// started with <c>--serve-floor</c>), like the bot. For each command it receives the same form, makes the Mattermost
/// calls the bot made for it (recorded from the emulator: same methods, paths, bodies, with the bot token through
/// <see cref="HttpClient"/>; calls the bot made together are made together, a call the bot made after another's answer
/// waits for that answer), reads each answer to its end, and replies with JSON of the bot's reply's size. No parsing
/// of the command text or of the answers, no policy, no audit record, no template.
///   PUT  /plans/{name}   a <see cref="FloorPlan"/> (JSON)
///   POST /floor/{name}?v=…&amp;v=…   the command's form; the values fill the plan's placeholders
/// </summary>
internal static class FloorServer
{
    public static async Task<int> RunAsync(string mattermostUrl, string botToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        using var mattermost = new HttpClient { BaseAddress = new Uri(mattermostUrl) };
        mattermost.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", botToken);
        var plans = new ConcurrentDictionary<string, Replay>();

        app.MapPut("/plans/{name}", async (string name, HttpContext http) =>
        {
            plans[name] = new Replay(await http.Request.ReadFromJsonAsync<FloorPlan>() ?? throw new InvalidOperationException("no plan"));
            return Results.NoContent();
        });
        app.MapPost("/floor/{name}", async (string name, HttpContext http) =>
        {
            await http.Request.ReadFormAsync(http.RequestAborted);
            var replay = plans[name];
            if (await replay.RunAsync(mattermost, [.. http.Request.Query["v"].Select(v => v ?? "")], http.RequestAborted) is { } failure)
            {
                http.Response.StatusCode = 500;
                await http.Response.WriteAsync(failure);
                return;
            }
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = replay.Reply.Length;
            await http.Response.Body.WriteAsync(replay.Reply, http.RequestAborted);
        });

        await app.StartAsync();
        Console.WriteLine(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // The harness holds our standard input: when it ends, for whatever reason, so does the floor.
        await Task.Run(() => Console.In.ReadToEnd());
        await app.StopAsync();
        return 0;
    }

    private sealed class Replay
    {
        private readonly FloorCall[] calls;
        private readonly HttpMethod[] methods;
        private readonly Uri?[] targets;
        private readonly byte[]?[] bodies;

        public Replay(FloorPlan plan)
        {
            calls = plan.Calls;
            methods = [.. calls.Select(c => HttpMethod.Parse(c.Method))];
            targets = [.. calls.Select(c => CallShapes.IsTemplate(c.Target) ? null : new Uri(c.Target, UriKind.Relative))];
            bodies = [.. calls.Select(c => CallShapes.IsTemplate(c.Body) ? null : Encoding.UTF8.GetBytes(c.Body))];
            // {"response_type":"ephemeral","text":"xxx…"}, as long as the bot's reply.
            const string Start = "{\"response_type\":\"ephemeral\",\"text\":\"", End = "\"}";
            Reply = Encoding.UTF8.GetBytes(Start + new string('x', Math.Max(0, plan.ReplyBytes - Start.Length - End.Length)) + End);
        }

        public byte[] Reply { get; }

        /// <returns>Null, or what went otherwise than for the bot.</returns>
        public async Task<string?> RunAsync(HttpClient mattermost, string[] values, CancellationToken ct)
        {
            var sent = new Task<string?>[calls.Length];
            for (var i = 0; i < calls.Length; i++)
                sent[i] = SendAsync(mattermost, i, sent, values, ct);
            foreach (var call in sent)
            {
                if (await call is { } failure)
                    return failure;
            }
            return null;
        }

        private async Task<string?> SendAsync(HttpClient mattermost, int i, Task<string?>[] sent, string[] values, CancellationToken ct)
        {
            foreach (var j in calls[i].After)
            {
                if (await sent[j] is { } failure)
                    return failure;
            }
            var call = calls[i];
            using var request = new HttpRequestMessage(methods[i], targets[i] ?? new Uri(CallShapes.Fill(call.Target, values), UriKind.Relative));
            if (call.Body.Length > 0 || call.ContentType is not null)
            {
                request.Content = new ByteArrayContent(bodies[i] ?? Encoding.UTF8.GetBytes(CallShapes.Fill(call.Body, values)));
                if (call.ContentType is not null)
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
            }
            using var response = await mattermost.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await response.Content.CopyToAsync(Stream.Null, ct);
            return (int)response.StatusCode == call.Status ? null : $"{call.Method} {request.RequestUri}: HTTP {(int)response.StatusCode}, the bot had {call.Status}";
        }
    }
}

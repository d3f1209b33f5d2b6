using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SessionBot.Sandbox;

/// <summary>In front of every call: latency, injected faults, authentication and the request log.</summary>
public static partial class EmulatorApi
{
    /// <summary>Latency, faults, authentication and the request log, in front of every call.</summary>
    public static void UseEmulator(this WebApplication app, World world)
    {
        app.Use(async (http, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var path = http.Request.Path.Value ?? "";
            http.Request.EnableBuffering();
            var body = await new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync(http.RequestAborted);
            http.Request.Body.Position = 0;
            string? userId = null;
            try
            {
                if (world.Latency > TimeSpan.Zero)
                    await Task.Delay(world.Latency, world.Time, http.RequestAborted);
                if (path.StartsWith("/api/v4/", StringComparison.Ordinal))
                {
                    var fault = world.Faults.Take(http.Request.Method, path);
                    if (fault is { Kind: FaultKind.Latency })
                        await Task.Delay(fault.Latency, world.Time, http.RequestAborted);
                    var user = world.Authenticate(Bearer(http.Request));
                    userId = user?.Id;
                    if (fault is { Kind: not FaultKind.Latency, AfterEffect: false })
                    {
                        await ApplyAsync(fault, http);
                        return;
                    }
                    if (user is null)
                    {
                        await Error(401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.").ExecuteAsync(http);
                        return;
                    }
                    http.Items[typeof(User)] = user;
                    if (fault is { AfterEffect: true })
                    {
                        // The change happens, the answer is lost: the case where the bot cannot know what happened.
                        var realBody = http.Features.Get<IHttpResponseBodyFeature>()!;
                        http.Response.Body = Stream.Null;
                        await next(http);
                        http.Features.Set(realBody);
                        http.Response.Clear();
                        await ApplyAsync(fault, http);
                        return;
                    }
                }
                await next(http);
            }
            finally
            {
                var logged = new LoggedRequest(http.Request.Method, path, body, userId, http.Response.StatusCode, started, System.Diagnostics.Stopwatch.GetTimestamp());
                world.Requests.Add(logged);
                // What a client could see changed: the playground's change feed wakes up.
                if (logged.IsChange && !path.StartsWith("/sandbox/", StringComparison.Ordinal))
                    world.Changed();
            }
        });
    }

    private static async Task ApplyAsync(Fault fault, HttpContext http)
    {
        switch (fault.Kind)
        {
            case FaultKind.ServerError:
                await Error(500, "app.sandbox.injected_fault.app_error", "An internal error occurred (injected).").ExecuteAsync(http);
                break;
            case FaultKind.RateLimited:
                http.Response.StatusCode = 429;
                http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString();
                http.Response.Headers["X-Ratelimit-Reset"] = fault.RetryAfterSeconds.ToString();
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("limit exceeded\n");
                break;
            case FaultKind.DropConnection:
                http.Abort();
                break;
        }
    }
}

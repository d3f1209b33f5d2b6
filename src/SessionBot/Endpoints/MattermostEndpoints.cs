using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// The endpoints Mattermost calls. Whatever happens, they answer HTTP 200 with a JSON CommandResponse: Mattermost
/// shows any other status to the user as a failure and hides the body.
/// </summary>
public static class MattermostEndpoints
{
    /// <summary>Mattermost waits 30 s for a reply; finishing before that lets the user see what happened.</summary>
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(25);

    /// <summary>Work finished through response_url: Mattermost accepts posts there for 30 minutes.</summary>
    private static readonly TimeSpan DeferredDeadline = TimeSpan.FromMinutes(10);

    /// <summary>Mattermost sends a few KB at most; anything much larger is not from Mattermost.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapMattermost(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/mattermost").DisableAntiforgery();
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = MaxBodyBytes;
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                var replies = http.RequestServices.GetRequiredService<ReplyRenderer>();
                return Reply(CommandResponse.Ephemeral, replies.Render(ReplyKind.Failure, new FailureReply("The request was larger than anything Mattermost sends, so SessionBot did not read it.", NothingChanged: true)));
            }
            var wait = MattermostWait.Begin();
            var result = await next(context);
            http.Response.Headers["Server-Timing"] = wait.ServerTiming;
            return result;
        });
        group.MapPost("/commands", HandleCommandAsync);
        group.MapGet("/commands", HandleCommandAsync);
        group.MapPost("/webhooks", HandleWebhookAsync);
        group.MapPost("/actions", HandleActionAsync);
        return app;
    }

    /// <summary>A slash command: form body (method P) or query string (method G).</summary>
    public static async Task<IResult> HandleCommandAsync(HttpContext http, TokenVerifier tokens, CommandRateLimiter rateLimiter, CommandRunner runner, ReplyRenderer replies, ILogger<CommandRunner> logger)
    {
        var fields = await ReadFieldsAsync(http.Request);
        var trigger = First(fields, "command").Trim().TrimStart('/').ToLowerInvariant();
        if (!tokens.IsCommandToken(trigger, First(fields, "token")))
        {
            logger.LogWarning("Refused a command request for trigger {Trigger} from user {UserId}: its token is not the one configured.",
                Printable(trigger), Printable(First(fields, "user_id")));
            return Reply(CommandResponse.Ephemeral, replies.Render(ReplyKind.TokenRefused, new { }));
        }
        if (!rateLimiter.TryAcquire(First(fields, "user_id")))
            return Reply(CommandResponse.Ephemeral, replies.Render(ReplyKind.RateLimited, new RateLimitedReply(rateLimiter.CommandsPerMinute)));
        var request = new CommandRequest
        {
            Trigger = trigger,
            Text = First(fields, "text"),
            UserId = First(fields, "user_id"),
            UserName = First(fields, "user_name"),
            ChannelId = First(fields, "channel_id"),
            MentionIds = Mentions(fields),
            ResponseUrl = First(fields, "response_url"),
        };
        return await RespondAsync(CommandResponse.Ephemeral, request, http, runner, replies, logger);
    }

    /// <summary>An outgoing webhook from the ops channel: the first word of the message names the command.</summary>
    public static async Task<IResult> HandleWebhookAsync(HttpContext http, TokenVerifier tokens, CommandRateLimiter rateLimiter, CommandRunner runner, ReplyRenderer replies, ILogger<CommandRunner> logger)
    {
        var fields = await ReadFieldsAsync(http.Request);
        if (!tokens.IsWebhookToken(First(fields, "token")))
        {
            logger.LogWarning("Refused an outgoing-webhook request from user {UserId}: its token is not a configured one.", Printable(First(fields, "user_id")));
            return Reply(CommandResponse.Comment, replies.Render(ReplyKind.TokenRefused, new { }));
        }
        if (!rateLimiter.TryAcquire(First(fields, "user_id")))
            return Reply(CommandResponse.Comment, replies.Render(ReplyKind.RateLimited, new RateLimitedReply(rateLimiter.CommandsPerMinute)));
        var message = First(fields, "text").TrimStart();
        var split = message.IndexOfAny([' ', '\t', '\n', '\r']);
        var word = (split < 0 ? message : message[..split]).TrimStart('/', '!').ToLowerInvariant();
        if (!Triggers.All.Contains(word))
        {
            var problem = "Start the message with the command: `sessions`, `revoke`, `deactivate` or `activate`.";
            return Reply(CommandResponse.Comment, replies.Render(ReplyKind.Usage, new UsageReply(Triggers.Sessions, problem, ["revoke all @username", "sessions @username", "deactivate @username"])));
        }
        var request = new CommandRequest
        {
            Trigger = word,
            Text = split < 0 ? "" : message[(split + 1)..],
            UserId = First(fields, "user_id"),
            UserName = First(fields, "user_name"),
            ChannelId = First(fields, "channel_id"),
            Source = "webhook",
        };
        using var publicPost = ReplyRenderer.PublicPost();
        return await RespondAsync(CommandResponse.Comment, request, http, runner, replies, logger);
    }

    /// <summary>
    /// Runs the command and answers. A slash command still running after <c>Bot:SlowReplyAfterSeconds</c> is answered
    /// "working on it" at once and finished through its response_url; a webhook (no response_url) is waited for.
    /// </summary>
    private static async Task<IResult> RespondAsync(string responseType, CommandRequest request, HttpContext http, CommandRunner runner, ReplyRenderer replies, ILogger logger)
    {
        if (!CommandParser.IsId(request.UserId))
            return Reply(responseType, replies.Render(ReplyKind.Failure, new FailureReply("The request from Mattermost did not say who is asking.", NothingChanged: true)));
        var services = http.RequestServices;
        var responseUrl = services.GetRequiredService<ResponseUrl>();
        var later = responseType == CommandResponse.Ephemeral ? responseUrl.Resolve(request.ResponseUrl) : null;
        var progress = new DeferredProgress(responseUrl);
        request = request with { Progress = progress };
        // Work that may finish after the request has its own deadline: it must not stop when Mattermost's request ends.
        var deadline = later is null ? CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted) : new CancellationTokenSource();
        deadline.CancelAfter(later is null ? CommandDeadline : DeferredDeadline);
        var work = RunGuardedAsync(request, runner, replies, logger, deadline.Token);
        if (later is not null)
        {
            var slowAfter = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<BotOptions>>().Value.SlowReplyAfterSeconds);
            if (await Task.WhenAny(work, Task.Delay(slowAfter, services.GetRequiredService<TimeProvider>())) != work)
            {
                progress.Deferred(later);
                _ = FinishLaterAsync(work, later, responseUrl, deadline);
                return Reply(responseType, replies.Render(ReplyKind.Working, new { }));
            }
        }
        try
        {
            return Reply(responseType, await work);
        }
        finally
        {
            deadline.Dispose();
        }
    }

    private static async Task FinishLaterAsync(Task<BotReply> work, Uri target, ResponseUrl responseUrl, CancellationTokenSource deadline)
    {
        try
        {
            await responseUrl.PostAsync(target, CommandResponse.From(CommandResponse.Ephemeral, await work), CancellationToken.None);
        }
        finally
        {
            deadline.Dispose();
        }
    }

    private static async Task<BotReply> RunGuardedAsync(CommandRequest request, CommandRunner runner, ReplyRenderer replies, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await runner.RunAsync(request, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("/{Trigger} by {UserId} ran past its deadline.", request.Trigger, request.UserId);
            return new BotReply(replies.Render(ReplyKind.Failure, new FailureReply("This took too long and was stopped.", NothingChanged: false)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "/{Trigger} by {UserId} failed unexpectedly.", request.Trigger, request.UserId);
            return new BotReply(replies.Render(ReplyKind.Failure, new FailureReply("SessionBot hit an unexpected error.", NothingChanged: false)));
        }
    }

    /// <summary>
    /// A button click. Mattermost sends no signature, so the context's own signature, expiry, clicker and single use
    /// are checked, in that order, before anything runs; then the action is decided again for the clicker.
    /// </summary>
    public static async Task<IResult> HandleActionAsync(HttpContext http, Buttons buttons, IAuditStore audit, CommandRunner runner, ReplyRenderer replies, ILogger<CommandRunner> logger)
    {
        JsonElement click;
        try
        {
            click = (await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted)).RootElement;
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException or IOException)
        {
            return Click(replies.Render(ReplyKind.Click, new ClickReply("This request is not a button click.")));
        }
        string Field(string name) => click.ValueKind == JsonValueKind.Object && click.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var clicker = Field("user_id");
        var action = click.ValueKind == JsonValueKind.Object && click.TryGetProperty("context", out var context) ? SignedAction.FromContext(context) : null;
        var refusal = action is null ? "This button is not valid (it was not made by this SessionBot, or it was changed)." : buttons.Refusal(action, clicker);
        if (refusal is not null || action is null)
        {
            logger.LogWarning("Refused a button click by {UserId}: {Reason}", Printable(clicker), refusal);
            return Click(replies.Render(ReplyKind.Click, new ClickReply(refusal!)));
        }
        try
        {
            if (!await audit.TryConsumeOnceAsync("action:" + action.Nonce, DateTimeOffset.FromUnixTimeSeconds(action.ExpiresAt), http.RequestAborted))
                return Click(replies.Render(ReplyKind.Click, new ClickReply("This button was already used.")));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not check that a button was unused.");
            return Click(replies.Render(ReplyKind.Click, new ClickReply("SessionBot could not check that this button is unused, so it did not act.")));
        }
        var request = new CommandRequest
        {
            Trigger = BotAction.Named(action.Action)?.Trigger ?? Triggers.Revoke,
            Text = $"[button] {action.Action} {string.Join(' ', action.TargetIds)}".Trim(),
            UserId = clicker,
            UserName = Field("user_name"),
            ChannelId = Field("channel_id"),
            Source = "action",
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(CommandDeadline);
        try
        {
            return Click((await runner.RunActionAsync(action, request, deadline.Token)).Text);
        }
        catch (Exception e) when (e is not OperationCanceledException || deadline.IsCancellationRequested)
        {
            logger.LogError(e, "A button click by {UserId} failed unexpectedly.", clicker);
            return Click(replies.Render(ReplyKind.Failure, new FailureReply("SessionBot hit an unexpected error.", NothingChanged: false)));
        }
    }

    private static IResult Click(string text) =>
        TypedResults.Json(new ActionResponse(text), ActionJson.Default.ActionResponse, statusCode: StatusCodes.Status200OK);

    private static IResult Reply(string responseType, BotReply reply) =>
        TypedResults.Json(CommandResponse.From(responseType, reply), ReplyJson.Default.CommandResponse, statusCode: StatusCodes.Status200OK);

    private static IResult Reply(string responseType, string text) => Reply(responseType, new BotReply(text));

    /// <summary>Form, query string, or a JSON object (outgoing webhooks may send JSON); anything unreadable gives no fields.</summary>
    private static async Task<IReadOnlyDictionary<string, StringValues>> ReadFieldsAsync(HttpRequest request)
    {
        try
        {
            if (HttpMethods.IsGet(request.Method))
                return request.Query.ToDictionary(q => q.Key, q => q.Value);
            if (request.HasFormContentType)
                return (await request.ReadFormAsync(request.HttpContext.RequestAborted)).ToDictionary(f => f.Key, f => f.Value);
            if (request.HasJsonContentType())
            {
                using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                    return new Dictionary<string, StringValues>();
                return json.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    .GroupBy(p => p.Name)
                    .ToDictionary(g => g.Key, g => new StringValues(g.First().Value.ToString()));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BadHttpRequestException or IOException)
        {
            // A malformed body is answered like a missing token: refused, nothing done.
        }
        return new Dictionary<string, StringValues>();
    }

    private static string First(IReadOnlyDictionary<string, StringValues> fields, string key) =>
        fields.TryGetValue(key, out var values) ? values.FirstOrDefault() ?? "" : "";

    /// <summary>The ids Mattermost resolved for @mentions: parallel repeated keys; ignored unless they line up.</summary>
    private static Dictionary<string, string> Mentions(IReadOnlyDictionary<string, StringValues> fields)
    {
        var names = fields.GetValueOrDefault("user_mentions");
        var ids = fields.GetValueOrDefault("user_mentions_ids");
        var mentions = new Dictionary<string, string>();
        if (names.Count != ids.Count)
            return mentions;
        for (var i = 0; i < names.Count; i++)
        {
            var id = ids[i]?.ToLowerInvariant() ?? "";
            if (CommandParser.IsId(id) && names[i] is { Length: > 0 } name)
                mentions.TryAdd(name.TrimStart('@').ToLowerInvariant(), id);
        }
        return mentions;
    }

    /// <summary>For log lines: bounded, one line, no control characters.</summary>
    private static string Printable(string value) =>
        new(value.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

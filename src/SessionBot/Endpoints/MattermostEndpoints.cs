using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using SessionBot.Commands;
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
            return await next(context);
        });
        group.MapPost("/commands", HandleCommandAsync);
        group.MapGet("/commands", HandleCommandAsync);
        group.MapPost("/webhooks", HandleWebhookAsync);
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
            TeamId = First(fields, "team_id"),
            MentionIds = Mentions(fields),
            ResponseUrl = First(fields, "response_url"),
        };
        return Reply(CommandResponse.Ephemeral, await RunAsync(request, http, runner, replies, logger));
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
            TeamId = First(fields, "team_id"),
            Source = "webhook",
        };
        return Reply(CommandResponse.Comment, await RunAsync(request, http, runner, replies, logger));
    }

    private static async Task<string> RunAsync(CommandRequest request, HttpContext http, CommandRunner runner, ReplyRenderer replies, ILogger logger)
    {
        if (!CommandParser.IsId(request.UserId))
            return replies.Render(ReplyKind.Failure, new FailureReply("The request from Mattermost did not say who is asking.", NothingChanged: true));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(CommandDeadline);
        try
        {
            return await runner.RunAsync(request, deadline.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("/{Trigger} by {UserId} ran past its deadline.", request.Trigger, request.UserId);
            return replies.Render(ReplyKind.Failure, new FailureReply("This took too long and was stopped.", NothingChanged: false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "/{Trigger} by {UserId} failed unexpectedly.", request.Trigger, request.UserId);
            return replies.Render(ReplyKind.Failure, new FailureReply("SessionBot hit an unexpected error.", NothingChanged: false));
        }
    }

    private static IResult Reply(string responseType, string text) =>
        TypedResults.Json(new CommandResponse(responseType, text), ReplyJson.Default.CommandResponse, statusCode: StatusCodes.Status200OK);

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

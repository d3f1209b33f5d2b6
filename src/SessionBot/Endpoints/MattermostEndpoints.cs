using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// The endpoints Mattermost calls. A request with a method Mattermost uses (POST; GET for commands) is answered
/// HTTP 200 with JSON in the endpoint's own shape (a CommandResponse; for a click, <c>ephemeral_text</c>), whatever
/// happens: a body that is malformed, not UTF-8, of the wrong content type or larger than <see cref="MaxBodyBytes"/>
/// too, even where Mattermost could never have sent it. Mattermost shows any other status to the user as a bare
/// failure and hides the body, and one rule leaves no case to misjudge. Such a body is read as no fields at all, so it
/// is refused like a missing token (a click: as not a click) and nothing is read from Mattermost or changed. Any other
/// method gets 405, with a JSON body in the same shape and an Allow header.
/// </summary>
public static class MattermostEndpoints
{
    /// <summary>Mattermost waits 30 s for a reply; finishing before that lets the user see what happened.</summary>
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(25);

    /// <summary>Work finished through response_url: Mattermost accepts posts there for 30 minutes.</summary>
    private static readonly TimeSpan DeferredDeadline = TimeSpan.FromMinutes(10);

    /// <summary>Mattermost sends a few KB at most; anything much larger is not from Mattermost.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly IReadOnlyDictionary<string, StringValues> NoFields = new Dictionary<string, StringValues>();

    public static IEndpointRouteBuilder MapMattermost(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/mattermost").DisableAntiforgery();
        group.AddEndpointFilter(GuardAsync);
        group.MapPost("/commands", HandleCommandAsync).WithMetadata(Shape.Command);
        group.MapGet("/commands", HandleCommandAsync).WithMetadata(Shape.Command);
        group.MapPost("/webhooks", HandleWebhookAsync).WithMetadata(Shape.Webhook);
        group.MapPost("/actions", HandleActionAsync).WithMetadata(Shape.Click);
        // Outside the group's filter: a method Mattermost never uses is answered 405 whatever its body.
        var others = app.MapGroup("/mattermost");
        MapOtherMethods(others, "/commands", Shape.Command, "GET, POST");
        MapOtherMethods(others, "/webhooks", Shape.Webhook, "POST");
        MapOtherMethods(others, "/actions", Shape.Click, "POST");
        return app;
    }

    /// <summary>
    /// Every method the endpoints above do not take (PUT, DELETE, PATCH, HEAD, GET on webhooks and actions, …): 405
    /// with JSON. Mapped with no method and a later order, so it is chosen only when no endpoint above matches.
    /// </summary>
    private static void MapOtherMethods(RouteGroupBuilder group, string pattern, Shape shape, string allow) =>
        group.Map(pattern, (HttpContext http, ReplyRenderer replies) =>
        {
            http.Response.Headers.Allow = allow;
            return shape.Answer(replies.Render(ReplyKind.Failure, new FailureReply($"SessionBot takes only {allow} requests here.", NothingChanged: true)),
                StatusCodes.Status405MethodNotAllowed);
        }).WithOrder(1);

    /// <summary>How an endpoint answers: a CommandResponse of this response type, or (none) a click's ephemeral_text.</summary>
    private sealed record Shape(string? ResponseType)
    {
        public static readonly Shape Command = new(CommandResponse.Ephemeral);
        public static readonly Shape Webhook = new(CommandResponse.Comment);
        public static readonly Shape Click = new((string?)null);

        public IResult Answer(BotReply reply, int status = StatusCodes.Status200OK) => ResponseType is null
            ? TypedResults.Json(new ActionResponse(reply.Text), ActionJson.Default.ActionResponse, statusCode: status)
            : TypedResults.Json(CommandResponse.From(ResponseType, reply), ReplyJson.Default.CommandResponse, statusCode: status);

        public IResult Answer(string text, int status = StatusCodes.Status200OK) => Answer(new BotReply(text), status);
    }

    /// <summary>
    /// Bounds the body and answers one that is too large without reading it (announced by Content-Length, or found
    /// while reading a chunked one), times the Mattermost calls, and turns anything thrown into a JSON answer in the
    /// endpoint's shape: never a 5xx, never a stack trace.
    /// </summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var shape = http.GetEndpoint()?.Metadata.GetMetadata<Shape>() ?? Shape.Command;
        var replies = http.RequestServices.GetRequiredService<ReplyRenderer>();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        if (http.Request.ContentLength > MaxBodyBytes)
            return shape.Answer(TooLarge(replies));
        var wait = MattermostWait.Begin();
        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return shape.Answer(TooLarge(replies));
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MattermostEndpoints))
                .LogError(e, "A request to {Path} failed unexpectedly.", http.Request.Path.Value);
            return shape.Answer(replies.Render(ReplyKind.Failure, new FailureReply("SessionBot hit an unexpected error.", NothingChanged: false)));
        }
        finally
        {
            http.Response.Headers["Server-Timing"] = wait.ServerTiming;
        }
    }

    private static BotReply TooLarge(ReplyRenderer replies) => new(
        replies.Render(ReplyKind.Failure, new FailureReply("The request was larger than anything Mattermost sends, so SessionBot did not read it.", NothingChanged: true)));

    /// <summary>
    /// A slash command: form body (method P), or query string (method G) for the triggers in
    /// <c>Mattermost:GetTriggers</c> only. A GET for any other trigger is refused before anything else is read.
    /// </summary>
    public static async Task<IResult> HandleCommandAsync(HttpContext http, TokenVerifier tokens, CommandRateLimiter rateLimiter, CommandRunner runner, ReplyRenderer replies, IOptions<MattermostOptions> options, ILogger<CommandRunner> logger)
    {
        if (HttpMethods.IsGet(http.Request.Method) && TriggerOf(http.Request.Query["command"].FirstOrDefault() ?? "") is var asked && !options.Value.TakesGet(asked))
        {
            logger.LogWarning("Refused a GET command request for trigger {Trigger}: it is not in Mattermost:GetTriggers. Register the command with method POST.", Printable(asked));
            return Reply(CommandResponse.Ephemeral, replies.Render(ReplyKind.Failure, new FailureReply(
                "This command must be registered in Mattermost with method POST: a GET puts its token in the URL, where proxies and logs keep it.", NothingChanged: true)));
        }
        var fields = await ReadFieldsAsync(http.Request);
        var trigger = TriggerOf(First(fields, "command"));
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

    /// <summary>
    /// An outgoing webhook from a channel in <c>Mattermost:WebhookChannelIds</c> (default: the ops channel): the first
    /// word of the message names the command.
    /// </summary>
    public static async Task<IResult> HandleWebhookAsync(HttpContext http, TokenVerifier tokens, CommandRateLimiter rateLimiter, CommandRunner runner, ReplyRenderer replies, IOptions<MattermostOptions> options, IAuditStore audit, TimeProvider time, ILogger<CommandRunner> logger)
    {
        var fields = await ReadFieldsAsync(http.Request);
        if (!tokens.IsWebhookToken(First(fields, "token")))
        {
            logger.LogWarning("Refused an outgoing-webhook request from user {UserId}: its token is not a configured one.", Printable(First(fields, "user_id")));
            return Reply(CommandResponse.Comment, replies.Render(ReplyKind.TokenRefused, new { }));
        }
        // Before the channel check, so a webhook firing in a busy channel cannot flood the audit trail with refusals.
        if (!rateLimiter.TryAcquire(First(fields, "user_id")))
            return Reply(CommandResponse.Comment, replies.Render(ReplyKind.RateLimited, new RateLimitedReply(rateLimiter.CommandsPerMinute)));
        var message = First(fields, "text").TrimStart();
        var split = message.IndexOfAny([' ', '\t', '\n', '\r']);
        var word = (split < 0 ? message : message[..split]).TrimStart('/', '!').ToLowerInvariant();
        var request = new CommandRequest
        {
            Trigger = word,
            Text = split < 0 ? "" : message[(split + 1)..],
            UserId = First(fields, "user_id"),
            UserName = First(fields, "user_name"),
            ChannelId = First(fields, "channel_id"),
            Source = "webhook",
            Audience = Audience.Channel,
        };
        if (!options.Value.WebhookChannels.Contains(request.ChannelId, StringComparer.Ordinal))
            return await RefuseChannelAsync(request, options.Value, audit, time, replies, logger, http.RequestAborted);
        if (!Triggers.All.Contains(word))
        {
            var problem = "Start the message with the command: `sessions`, `revoke`, `deactivate` or `activate`.";
            return Reply(CommandResponse.Comment, replies.Render(ReplyKind.Usage, new UsageReply(Triggers.Sessions, problem, ["revoke all @username", "sessions @username", "deactivate @username"])));
        }
        return await RespondAsync(CommandResponse.Comment, request, http, runner, replies, logger);
    }

    /// <summary>
    /// A webhook command from a channel webhook commands are not taken from. An outgoing webhook with trigger words
    /// but no channel fires in every public channel, where its answers are public: nothing is read or changed, the
    /// refusal is recorded, and the answer says only where commands are taken.
    /// </summary>
    private static async Task<IResult> RefuseChannelAsync(CommandRequest request, MattermostOptions options, IAuditStore audit, TimeProvider time, ReplyRenderer replies, ILogger logger, CancellationToken ct)
    {
        logger.LogWarning("Refused an outgoing-webhook command by {UserId} in channel {ChannelId}: it is not in Mattermost:WebhookChannelIds (default: the ops channel).",
            Printable(request.UserId), Printable(request.ChannelId));
        try
        {
            await audit.AppendAsync(new AuditEntry
            {
                At = time.GetUtcNow(),
                CallerId = request.UserId,
                CallerUsername = request.UserName,
                ChannelId = request.ChannelId,
                Source = request.Source,
                CommandText = AuditText.Of(request.Trigger, request.Text, new HashSet<string>()),
                Action = "webhook-command",
                Decision = AuditDecision.Refused,
                Reason = "the channel is not one webhook commands are taken from",
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The audit record of a refused webhook command could not be written.");
        }
        var where = options.WebhookChannelIds.Count == 0 ? "the ops channel" : "the channels set up for it";
        return Reply(CommandResponse.Comment, replies.Render(ReplyKind.Failure, new FailureReply($"SessionBot takes commands from this webhook only in {where}.", NothingChanged: true), Reader.Public));
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
        // Mattermost posts a click as JSON, and says so.
        using var document = http.Request.HasJsonContentType() ? ParseJson(await ReadBodyAsync(http.Request)) : null;
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } click)
            return Click(replies.Render(ReplyKind.Click, new ClickReply("This request is not a button click.")));
        string Field(string name) => click.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var clicker = Field("user_id");
        var action = click.TryGetProperty("context", out var context) ? SignedAction.FromContext(context) : null;
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

    private static IResult Click(string text) => Shape.Click.Answer(text);

    private static IResult Reply(string responseType, BotReply reply) => new Shape(responseType).Answer(reply);

    private static IResult Reply(string responseType, string text) => Reply(responseType, new BotReply(text));

    /// <summary>
    /// The fields of a command or webhook: the query string (GET), a form, or a JSON object (outgoing webhooks may
    /// send JSON; only its string values are read). Anything else, or anything not encoded as Mattermost encodes it,
    /// gives no fields at all.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, StringValues>> ReadFieldsAsync(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method))
            return ParseForm(Encoding.UTF8.GetBytes(request.QueryString.Value?.TrimStart('?') ?? "")) ?? NoFields;
        var body = await ReadBodyAsync(request);
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && string.Equals(type.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return ParseForm(body) ?? NoFields;
        if (!request.HasJsonContentType())
            return NoFields;
        using var json = ParseJson(body);
        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root)
            return NoFields;
        return root.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String)
            .GroupBy(p => p.Name)
            .ToDictionary(g => g.Key, g => new StringValues(g.First().Value.GetString()));
    }

    /// <summary>
    /// The whole body, at most <see cref="MaxBodyBytes"/>. A longer one stops the read with the 413 Kestrel throws as
    /// well (a chunked body does not say its length up front), which <see cref="GuardAsync"/> answers. Any other
    /// failure to read gives an empty body.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                    throw new BadHttpRequestException("The request body is larger than anything Mattermost sends.", StatusCodes.Status413PayloadTooLarge);
                body.Write(chunk, 0, read);
            }
        }
        // BadHttpRequestException is an IOException too: the 413 must get through to GuardAsync.
        catch (IOException e) when (e is not BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return [];
        }
        return body.ToArray();
    }

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c>, strictly; null when a <c>%</c> is not followed by two hex digits or a
    /// key or value is not UTF-8. Mattermost's encoder (Go's <c>url.Values</c>) never writes either.
    /// </summary>
    private static Dictionary<string, StringValues>? ParseForm(ReadOnlySpan<byte> form)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var range in form.Split((byte)'&'))
        {
            var pair = form[range];
            if (pair.IsEmpty)
                continue;
            var equals = pair.IndexOf((byte)'=');
            if (Unescape(equals < 0 ? pair : pair[..equals]) is not { } key || Unescape(equals < 0 ? [] : pair[(equals + 1)..]) is not { } value)
                return null;
            fields[key] = StringValues.Concat(fields.GetValueOrDefault(key), value);
        }
        return fields;
    }

    private static string? Unescape(ReadOnlySpan<byte> escaped)
    {
        var bytes = new byte[escaped.Length];
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '%')
                bytes[length++] = escaped[i] == '+' ? (byte)' ' : escaped[i];
            else if (escaped.Length - i >= 3 && byte.TryParse(escaped.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var decoded))
            {
                bytes[length++] = decoded;
                i += 2;
            }
            else
                return null;
        }
        return Utf8.IsValid(bytes.AsSpan(0, length)) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }

    /// <summary>
    /// A JSON document all of whose strings and names can be read; null otherwise. The parser lets escaped lone
    /// surrogates (<c>"\udc00"</c>) through and throws only when such a value is read, which must not happen halfway
    /// through a request.
    /// </summary>
    private static JsonDocument? ParseJson(byte[] body)
    {
        if (!Utf8.IsValid(body))
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
        if (HasReadableText(document.RootElement))
            return document;
        document.Dispose();
        return null;
    }

    private static bool HasReadableText(JsonElement element)
    {
        try
        {
            return Readable(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Readable(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() is not null,
            JsonValueKind.Object => element.EnumerateObject().All(p => p.Name is not null && Readable(p.Value)),
            JsonValueKind.Array => element.EnumerateArray().All(Readable),
            _ => true,
        };
    }

    /// <summary>The trigger a <c>command</c> field names: lower case, without its slash.</summary>
    private static string TriggerOf(string command) => command.Trim().TrimStart('/').ToLowerInvariant();

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

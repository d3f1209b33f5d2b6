using System.Text.Json;
using SessionBot.Actions;
using SessionBot.Commands;
using SessionBot.Metrics;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// The endpoints Mattermost calls: the route map and one handler per endpoint. A request with a method Mattermost uses
/// (POST; GET for commands) is answered HTTP 200 with JSON in the endpoint's <see cref="ReplyShape"/>, whatever happens
/// (<see cref="EndpointGuard"/>): a body that is malformed, not UTF-8, of the wrong content type or too large too, even
/// where Mattermost could never have sent it. Such a body is read as no fields at all (<see cref="MattermostRequestReader"/>),
/// so it is refused like a missing token (a click: as not a click) and nothing is read from Mattermost or changed. Any
/// other method gets 405, with a JSON body in the same shape and an Allow header (docs/product.md#endpoints).
/// </summary>
public static class MattermostEndpoints
{
    public static IEndpointRouteBuilder MapMattermost(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/mattermost").DisableAntiforgery();
        group.AddEndpointFilter(EndpointGuard.GuardAsync);
        group.MapPost("/commands", HandleCommandAsync).WithMetadata(ReplyShape.Command);
        group.MapGet("/commands", HandleCommandAsync).WithMetadata(ReplyShape.Command);
        group.MapPost("/webhooks", HandleWebhookAsync).WithMetadata(ReplyShape.Webhook);
        group.MapPost("/actions", HandleActionAsync).WithMetadata(ReplyShape.Click);
        // Outside the group's filter: a method Mattermost never uses is answered 405 whatever its body. Mapped with no
        // method and a later order, so it is chosen only when no endpoint above matches.
        var others = app.MapGroup("/mattermost");
        MapOtherMethods(others, "/commands", ReplyShape.Command, "GET, POST");
        MapOtherMethods(others, "/webhooks", ReplyShape.Webhook, "POST");
        MapOtherMethods(others, "/actions", ReplyShape.Click, "POST");
        return app;
    }

    private static void MapOtherMethods(RouteGroupBuilder group, string pattern, ReplyShape shape, string allow) =>
        group.Map(pattern, (HttpContext http, ReplyRenderer replies) => EndpointGuard.MethodNotAllowed(http, replies, shape, allow)).WithOrder(1);

    /// <summary>
    /// A slash command (docs/mattermost.md §1): form body (method P), or query string (method G) for the triggers in
    /// <c>Mattermost:GetTriggers</c> only. A GET for any other trigger is refused before anything else is read.
    /// </summary>
    public static async Task<IResult> HandleCommandAsync(HttpContext http, [AsParameters] CommandServices services)
    {
        var (shape, replies, logger) = (ReplyShape.Command, services.Replies, services.Logger);
        if (HttpMethods.IsGet(http.Request.Method) && RequestFields.TriggerOf(http.Request.Query["command"].FirstOrDefault() ?? "") is var asked
            && !services.Options.Value.TakesGet(asked))
        {
            logger.LogWarning("Refused a GET command request for trigger {Trigger}: it is not in Mattermost:GetTriggers. Register the command with method POST.",
                RequestFields.Printable(asked));
            services.Metrics.CommandAnswered(BotMetrics.Trigger(asked), "get_refused");
            return shape.Failure(replies,
                "This command must be registered in Mattermost with method POST: a GET puts its token in the URL, where proxies and logs keep it.", nothingChanged: true);
        }
        var fields = await MattermostRequestReader.ReadFieldsAsync(http.Request);
        if (!services.Tokens.IsCommandToken(fields.Trigger, fields["token"]))
        {
            logger.LogWarning("Refused a command request for trigger {Trigger} from user {UserId}: its token is not the one configured.",
                RequestFields.Printable(fields.Trigger), RequestFields.Printable(fields["user_id"]));
            services.Metrics.CommandAnswered(BotMetrics.Trigger(fields.Trigger), "token_refused");
            return shape.Answer(replies.Render(ReplyKind.TokenRefused, new { }));
        }
        if (!services.RateLimiter.TryAcquire(fields["user_id"]))
        {
            services.Metrics.CommandAnswered(BotMetrics.Trigger(fields.Trigger), "rate_limited");
            // The token is verified, so the user is who Mattermost says: the reply is in their language as last seen.
            return shape.Answer(replies.Render(ReplyKind.RateLimited, new RateLimitedReply(services.RateLimiter.CommandsPerMinute), services.Readers.LastSeen(fields["user_id"])));
        }
        return await RespondAsync(shape, fields.SlashCommand(), services.SlowReply, replies, http.RequestAborted);
    }

    /// <summary>
    /// An outgoing webhook (docs/mattermost.md §3) from a channel in <c>Mattermost:WebhookChannelIds</c> (default: the
    /// ops channel): the first word of the message names the command, and the answer is posted in the thread.
    /// </summary>
    public static async Task<IResult> HandleWebhookAsync(HttpContext http, [AsParameters] WebhookServices services)
    {
        var (shape, replies) = (ReplyShape.Webhook, services.Replies);
        var fields = await MattermostRequestReader.ReadFieldsAsync(http.Request);
        if (!services.Tokens.IsWebhookToken(fields["token"]))
        {
            services.Logger.LogWarning("Refused an outgoing-webhook request from user {UserId}: its token is not a configured one.", RequestFields.Printable(fields["user_id"]));
            services.Metrics.CommandAnswered("webhook", "token_refused");
            return shape.Answer(replies.Render(ReplyKind.TokenRefused, new { }));
        }
        // Before the channel check, so a webhook firing in a busy channel cannot flood the audit trail with refusals.
        if (!services.RateLimiter.TryAcquire(fields["user_id"]))
        {
            services.Metrics.CommandAnswered("webhook", "rate_limited");
            return shape.Answer(replies.Render(ReplyKind.RateLimited, new RateLimitedReply(services.RateLimiter.CommandsPerMinute)));
        }
        var request = WebhookMessage.Read(fields);
        if (!services.Channels.TakeCommandsFrom(request.ChannelId))
        {
            services.Metrics.CommandAnswered("webhook", "channel_refused");
            return shape.Answer(await services.Channels.RefuseAsync(request, http.RequestAborted));
        }
        if (!WebhookMessage.NamesACommand(request))
            return shape.Answer(WebhookMessage.NotACommand(replies, services.Readers.Remembered(request)));
        // The answer is a post everyone in the channel sees: the request's audience is the channel (WebhookMessage).
        return await RespondAsync(shape, request, services.SlowReply, replies, http.RequestAborted);
    }

    /// <summary>
    /// A button click (docs/mattermost.md §4): carried out only when <see cref="ClickVerifier"/> lets it, and then
    /// decided again for the clicker.
    /// </summary>
    public static async Task<IResult> HandleActionAsync(HttpContext http, [AsParameters] ClickServices services)
    {
        var (shape, replies) = (ReplyShape.Click, services.Replies);
        using var document = await MattermostRequestReader.ReadJsonAsync(http.Request);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } click)
            return shape.Answer(replies.Render(ReplyKind.Click, new ClickReply("This request is not a button click.")));
        var clicker = StringField(click, "user_id");
        var (action, refusal) = await services.Clicks.VerifyAsync(click, clicker, http.RequestAborted);
        if (action is null)
            return shape.Answer(replies.Render(ReplyKind.Click, new ClickReply(refusal!), services.Readers.LastSeen(clicker)));
        var request = ClickRequest(click, clicker, action);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(SlowReply.CommandDeadline);
        try
        {
            return shape.Answer((await services.Runner.RunActionAsync(action, request, deadline.Token)).Text);
        }
        catch (Exception e) when (e is not OperationCanceledException || deadline.IsCancellationRequested)
        {
            services.Logger.LogError(e, "A button click by {UserId} failed unexpectedly.", clicker);
            return shape.Failure(replies, ReplyShape.UnexpectedError, nothingChanged: false);
        }
    }

    /// <summary>Runs a verified command or webhook command; one that does not say who is asking runs nothing.</summary>
    private static async Task<IResult> RespondAsync(ReplyShape shape, CommandRequest request, SlowReply slowReply, ReplyRenderer replies, CancellationToken requestAborted)
    {
        if (!CommandParser.IsId(request.UserId))
            return shape.Failure(replies, "The request from Mattermost did not say who is asking.", nothingChanged: true);
        return shape.Answer(await slowReply.RunAsync(request, mayDefer: shape == ReplyShape.Command, requestAborted));
    }

    /// <summary>A click as the request it runs as: recorded as the command its action belongs to.</summary>
    private static CommandRequest ClickRequest(JsonElement click, string clicker, SignedAction action) => new()
    {
        Trigger = BotAction.Named(action.Action)?.Trigger ?? Triggers.Revoke,
        Text = $"[button] {action.Action} {string.Join(' ', action.TargetIds)}".Trim(),
        UserId = clicker,
        UserName = StringField(click, "user_name"),
        ChannelId = StringField(click, "channel_id"),
        Source = "action",
    };

    private static string StringField(JsonElement click, string name) =>
        click.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}

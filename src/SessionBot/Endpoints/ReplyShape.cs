using SessionBot.Actions;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// How an endpoint answers, whatever happens: a CommandResponse of its response type (docs/mattermost.md §2, §3), or
/// for a click (no response type) the <c>ephemeral_text</c> of an action response (§4). Each endpoint carries its shape
/// as metadata, so that <see cref="EndpointGuard"/> answers in it too.
/// </summary>
public sealed record ReplyShape(string? ResponseType)
{
    public static readonly ReplyShape Command = new(CommandResponse.Ephemeral);
    public static readonly ReplyShape Webhook = new(CommandResponse.Comment);
    public static readonly ReplyShape Click = new((string?)null);

    /// <summary>The problem of <see cref="Failure"/> when something was thrown that nothing expected.</summary>
    public static readonly Phrase UnexpectedError = Phrase.Of("failure.unexpected");

    public IResult Answer(BotReply reply, int status = StatusCodes.Status200OK) => ResponseType is null
        ? TypedResults.Json(new ActionResponse(reply.Text), ActionJson.Default.ActionResponse, statusCode: status)
        : TypedResults.Json(CommandResponse.From(ResponseType, reply), ReplyJson.Default.CommandResponse, statusCode: status);

    public IResult Answer(string text, int status = StatusCodes.Status200OK) => Answer(new BotReply(text), status);

    /// <summary>A failure reply in this shape, saying whether anything changed.</summary>
    public IResult Failure(ReplyRenderer replies, Phrase problem, bool nothingChanged, int status = StatusCodes.Status200OK) =>
        Answer(FailureText(replies, problem, nothingChanged), status);

    /// <param name="reader">Who reads it; none: a request not yet known to come from anyone (<see cref="ReplyRenderer.Render(string, object)"/>).</param>
    public static string FailureText(ReplyRenderer replies, Phrase problem, bool nothingChanged, Reader? reader = null) => reader is null
        ? replies.Render(ReplyKind.Failure, new FailureReply(problem, nothingChanged))
        : replies.Render(ReplyKind.Failure, new FailureReply(problem, nothingChanged), reader);
}

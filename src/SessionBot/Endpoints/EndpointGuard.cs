using Microsoft.AspNetCore.Http.Features;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// What keeps every answer of the Mattermost endpoints an HTTP 200 with JSON in the endpoint's <see cref="ReplyShape"/>.
/// Mattermost shows any other status to the user as a bare failure and hides the body (docs/mattermost.md §2, §4), and
/// one rule leaves no case to misjudge. A method Mattermost never uses is the one exception: 405, still with JSON.
/// </summary>
public static class EndpointGuard
{
    /// <summary>
    /// The endpoint filter. Bounds the body and answers one that is too large without reading it (announced by
    /// Content-Length, or found while reading a chunked one), times the Mattermost calls, and turns anything thrown into
    /// a JSON answer in the endpoint's shape: never a 5xx, never a stack trace.
    /// </summary>
    public static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var shape = http.GetEndpoint()?.Metadata.GetMetadata<ReplyShape>() ?? ReplyShape.Command;
        var replies = http.RequestServices.GetRequiredService<ReplyRenderer>();
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MattermostRequestReader.MaxBodyBytes;
        if (http.Request.ContentLength > MattermostRequestReader.MaxBodyBytes)
            return TooLarge(shape, replies);
        var wait = MattermostWait.Begin();
        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(shape, replies);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MattermostEndpoints))
                .LogError(e, "A request to {Path} failed unexpectedly.", http.Request.Path.Value);
            return shape.Failure(replies, ReplyShape.UnexpectedError, nothingChanged: false);
        }
        finally
        {
            http.Response.Headers["Server-Timing"] = wait.ServerTiming;
        }
    }

    /// <summary>
    /// The answer to every method an endpoint does not take (PUT, DELETE, PATCH, HEAD, GET on webhooks and actions, …):
    /// 405 with JSON in the endpoint's shape and an Allow header.
    /// </summary>
    public static IResult MethodNotAllowed(HttpContext http, ReplyRenderer replies, ReplyShape shape, string allow)
    {
        http.Response.Headers.Allow = allow;
        return shape.Failure(replies, $"SessionBot takes only {allow} requests here.", nothingChanged: true, StatusCodes.Status405MethodNotAllowed);
    }

    private static IResult TooLarge(ReplyShape shape, ReplyRenderer replies) =>
        shape.Failure(replies, "The request was larger than anything Mattermost sends, so SessionBot did not read it.", nothingChanged: true);
}

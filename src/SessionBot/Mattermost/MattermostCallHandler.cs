using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Refit;
using SessionBot.Configuration;

namespace SessionBot.Mattermost;

/// <summary>
/// Gives each Mattermost call one outcome: Mattermost's whole answer, or a <see cref="MattermostException"/> for an
/// error answer, a success answer that is not JSON or a failed connection. Each attempt gets
/// <c>Mattermost:TimeoutSeconds</c>. A call the interface marks <see cref="ReadsAttribute"/> is repeated after a server
/// error, a broken connection or a short rate limit; any other call changes something and is repeated only when it
/// cannot have taken effect (rate limited, or never sent), so an unknown outcome is reported, not repeated.
/// </summary>
public sealed class MattermostCallHandler(IOptions<MattermostOptions> options) : DelegatingHandler
{
    /// <summary>A longer wait than this is not worth holding a command for: the failure is reported instead.</summary>
    public static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(5);

    private static readonly ResiliencePipeline ReadRetries = Retries(e =>
        e.Failure is MattermostFailure.ServerError or MattermostFailure.Unreachable or MattermostFailure.TimedOut || e.IsRateLimited);

    private static readonly ResiliencePipeline ChangeRetries = Retries(e => e.Failure == MattermostFailure.Unreachable || e.IsRateLimited);

    private static ResiliencePipeline Retries(Func<MattermostException, bool> retryable) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = new PredicateBuilder().Handle<MattermostException>(e =>
                retryable(e) && (e.RetryAfter is null || e.RetryAfter <= LongestRetryAfter)),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is MattermostException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
        })
        .Build();

    /// <summary>Whether each interface method (by name and route) is marked <see cref="ReadsAttribute"/>.</summary>
    private static readonly ConcurrentDictionary<(Type Api, string Method, string Route), bool> Declared = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        // Every attempt sends the same bytes.
        if (request.Content is not null)
            await request.Content.LoadIntoBufferAsync(ct);
        var retries = OnlyReads(request) ? ReadRetries : ChangeRetries;
        return await retries.ExecuteAsync(static (state, token) => state.Handler.SendOnceAsync(state.Request, token), (Handler: this, Request: request), ct);
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attempt.Token);
            // The whole answer within the attempt: a body cut off half way is a broken connection, not a bad answer.
            await response.Content.LoadIntoBufferAsync(attempt.Token);
        }
        catch (Exception e)
        {
            response?.Dispose();
            // The caller's own cancellation is not a failure of Mattermost's.
            if (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
                throw FromTransport(request, e);
            throw;
        }
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
            return response;
        using (response)
        {
            throw response.IsSuccessStatusCode
                ? new MattermostException(MattermostFailure.ServerError, (int)response.StatusCode, "",
                    $"Mattermost answered {Describe(request)} with a body that is not JSON.")
                : await FromErrorAnswerAsync(response, ct);
        }
    }

    /// <summary>What the interface declares about the call: only requests built from a <see cref="ReadsAttribute"/> method read.</summary>
    private static bool OnlyReads(HttpRequestMessage request) =>
        request.Options.TryGetValue(new HttpRequestOptionsKey<Type>(HttpRequestMessageOptions.InterfaceType), out var api)
        && request.Options.TryGetValue(new HttpRequestOptionsKey<string>(HttpRequestMessageOptions.MethodName), out var method)
        && request.Options.TryGetValue(new HttpRequestOptionsKey<string>(HttpRequestMessageOptions.RelativePathTemplate), out var route)
        && Declared.GetOrAdd((api, method, route), static key => key.Api.GetMethods().Any(m =>
            m.Name == key.Method && m.GetCustomAttribute<HttpMethodAttribute>()?.Path == key.Route && m.IsDefined(typeof(ReadsAttribute))));

    /// <summary>A call that got no answer: refused or unresolvable means it never reached Mattermost.</summary>
    internal static MattermostException FromTransport(HttpRequestMessage request, Exception e) => e switch
    {
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable or SocketError.HostUnreachable } } =>
            new MattermostException(MattermostFailure.Unreachable, 0, "", $"Mattermost could not be reached for {Describe(request)}.", e),
        // The connection broke after it was made: whether the request was applied is not known.
        HttpRequestException => new MattermostException(MattermostFailure.TimedOut, 0, "", $"The connection to Mattermost broke during {Describe(request)}.", e),
        // The attempt's timeout fired: the request may have reached Mattermost.
        _ => new MattermostException(MattermostFailure.TimedOut, 0, "", $"Mattermost did not answer {Describe(request)} in time.", e),
    };

    /// <summary>Mattermost's error JSON (or a proxy's or the rate limiter's plain text) as the typed error.</summary>
    internal static async Task<MattermostException> FromErrorAnswerAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        AppErrorBody? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(MattermostJson.Default.AppErrorBody, ct);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // 429 and proxies answer with plain text.
        }
        var failure = status >= 500 ? MattermostFailure.ServerError : MattermostFailure.Rejected;
        var message = status == (int)HttpStatusCode.TooManyRequests ? "Mattermost is rate limiting the bot." : error?.Message ?? $"Mattermost answered {status}.";
        return new MattermostException(failure, status, error?.Id ?? "", message) { RetryAfter = RetryAfterOf(response) };
    }

    /// <summary>A success answer whose JSON is not what the call expects.</summary>
    internal static MattermostException FromUnreadableAnswer(HttpResponseMessage response, Exception e) =>
        new(MattermostFailure.ServerError, (int)response.StatusCode, "",
            $"Mattermost answered {(response.RequestMessage is { } request ? Describe(request) : "a call")} with a body that is not the expected JSON.", e);

    /// <summary><c>Retry-After</c> (seconds or a date), else Mattermost's <c>X-Ratelimit-Reset</c> (seconds until the limit resets).</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => response.Headers.TryGetValues("X-Ratelimit-Reset", out var reset) && int.TryParse(reset.FirstOrDefault(), out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null,
    };

    /// <summary>The method and path, never the query or the host.</summary>
    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.AbsolutePath}";
}

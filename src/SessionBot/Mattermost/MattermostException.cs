namespace SessionBot.Mattermost;

/// <summary>How a Mattermost call failed, which decides whether anything may have changed.</summary>
public enum MattermostFailure
{
    /// <summary>Mattermost answered 4xx: it refused, nothing changed.</summary>
    Rejected,
    /// <summary>Mattermost answered 5xx or an unreadable body: a changing call may or may not have taken effect.</summary>
    ServerError,
    /// <summary>No connection could be made: the request never reached Mattermost.</summary>
    Unreachable,
    /// <summary>No answer in time, or the connection dropped: a changing call may or may not have taken effect.</summary>
    TimedOut,
}

/// <summary>A failed Mattermost call, with Mattermost's error id (e.g. <c>api.context.permissions.app_error</c>) when it sent one.</summary>
public sealed class MattermostException(MattermostFailure failure, int statusCode, string errorId, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>How long Mattermost asked the bot to wait (429 <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }
    public bool IsRateLimited => StatusCode == 429;
    public MattermostFailure Failure { get; } = failure;
    /// <summary>HTTP status, or 0 when there was no answer.</summary>
    public int StatusCode { get; } = statusCode;
    /// <summary>Mattermost's AppError id, or "" when the body had none.</summary>
    public string ErrorId { get; } = errorId;
    /// <summary>True when a changing call cannot have taken effect.</summary>
    public bool NothingChanged => Failure is MattermostFailure.Rejected or MattermostFailure.Unreachable;
    public bool IsNotFound => StatusCode == 404;
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;

namespace SessionBot.Mattermost;

/// <summary>
/// The typed HttpClient behind <see cref="IMattermostClient"/>; its base address is <c>{Mattermost:Url}/api/v4/</c>.
/// Reads are retried on server errors, broken connections and rate limiting; a changing call is retried only
/// when it cannot have taken effect (rate limited, or never sent), so an unknown outcome is reported, not repeated.
/// </summary>
public sealed class MattermostClient(HttpClient http) : IMattermostClient
{
    private static readonly MattermostJson Json = MattermostJson.Default;

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

    public Task<MattermostUser> GetUserAsync(string userId, CancellationToken ct) =>
        GetAsync($"users/{Esc(userId)}", Json.MattermostUser, ct);

    public Task<MattermostUser> GetUserByUsernameAsync(string username, CancellationToken ct) =>
        GetAsync($"users/username/{Esc(username)}", Json.MattermostUser, ct);

    public Task<MattermostUser> GetUserByEmailAsync(string email, CancellationToken ct) =>
        GetAsync($"users/email/{Esc(email)}", Json.MattermostUser, ct);

    public async Task<IReadOnlyList<MattermostUser>> GetUsersByIdsAsync(IReadOnlyCollection<string> userIds, CancellationToken ct) =>
        userIds.Count == 0 ? [] : await PostAsync("users/ids", userIds.ToArray(), Json.StringArray, Json.ListMattermostUser, ct);

    public async Task<IReadOnlyList<MattermostUser>> GetUsersByUsernamesAsync(IReadOnlyCollection<string> usernames, CancellationToken ct) =>
        usernames.Count == 0 ? [] : await PostAsync("users/usernames", usernames.ToArray(), Json.StringArray, Json.ListMattermostUser, ct);

    public async Task<IReadOnlyList<MattermostRole>> GetRolesByNamesAsync(IReadOnlyCollection<string> roleNames, CancellationToken ct) =>
        roleNames.Count == 0 ? [] : await PostAsync("roles/names", roleNames.ToArray(), Json.StringArray, Json.ListMattermostRole, ct);

    public async Task<IReadOnlyList<MattermostSession>> GetSessionsAsync(string userId, CancellationToken ct) =>
        await GetAsync($"users/{Esc(userId)}/sessions", Json.ListMattermostSession, ct);

    public Task RevokeSessionAsync(string userId, string sessionId, CancellationToken ct) =>
        PostAsync($"users/{Esc(userId)}/sessions/revoke", new RevokeSessionRequest(sessionId), Json.RevokeSessionRequest, Json.StatusResponse, ct);

    public Task RevokeAllSessionsAsync(string userId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"users/{Esc(userId)}/sessions/revoke/all", null, Json.StatusResponse, ct);

    public Task RevokeEveryonesSessionsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "users/sessions/revoke/all", null, Json.StatusResponse, ct);

    public Task SetActiveAsync(string userId, bool active, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"users/{Esc(userId)}/active",
            JsonContent.Create(new SetActiveRequest(active), Json.SetActiveRequest), Json.StatusResponse, ct);

    public Task<UserAccessToken> GetUserAccessTokenAsync(string tokenId, CancellationToken ct) =>
        GetAsync($"users/tokens/{Esc(tokenId)}", Json.UserAccessToken, ct);

    public Task RevokeUserAccessTokenAsync(string tokenId, CancellationToken ct) =>
        PostAsync("users/tokens/revoke", new RevokeTokenRequest(tokenId), Json.RevokeTokenRequest, Json.StatusResponse, ct);

    public async Task<IReadOnlyList<MattermostBot>> GetBotsAsync(int page, int perPage, CancellationToken ct) =>
        await GetAsync($"bots?page={page}&per_page={perPage}", Json.ListMattermostBot, ct);

    public async Task<IReadOnlyDictionary<string, string>> GetClientConfigAsync(CancellationToken ct) =>
        await GetAsync("config/client?format=old", Json.DictionaryStringString, ct);

    public Task<MattermostPost> CreatePostAsync(CreatePostRequest post, CancellationToken ct) =>
        PostAsync("posts", post, Json.CreatePostRequest, Json.MattermostPost, ct);

    public Task<MattermostTeam> GetTeamByNameAsync(string name, CancellationToken ct) =>
        GetAsync($"teams/name/{Esc(name)}", Json.MattermostTeam, ct);

    public async Task<IReadOnlyList<SlashCommand>> GetCommandsAsync(string teamId, CancellationToken ct) =>
        await GetAsync($"commands?team_id={Esc(teamId)}&custom_only=true", Json.ListSlashCommand, ct);

    public Task<SlashCommand> CreateCommandAsync(SlashCommand command, CancellationToken ct) =>
        PostAsync("commands", command, Json.SlashCommand, Json.SlashCommand, ct);

    public Task<SlashCommand> UpdateCommandAsync(SlashCommand command, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"commands/{Esc(command.Id ?? "")}", JsonContent.Create(command, Json.SlashCommand), Json.SlashCommand, ct);

    private static string Esc(string segment) => Uri.EscapeDataString(segment);

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> result, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, null, result, ct);

    private Task<TResult> PostAsync<TBody, TResult>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> result, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body, bodyType), result, ct);

    private Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> result, CancellationToken ct)
    {
        // POST /users/ids, /users/usernames and /roles/names only read.
        var reads = method == HttpMethod.Get || path is "users/ids" or "users/usernames" or "roles/names";
        return (reads ? ReadRetries : ChangeRetries).ExecuteAsync(
            async token => await SendOnceAsync(method, path, content, result, token), ct).AsTask();
    }

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> result, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content is null ? null : await CopyAsync(content, ct) };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFromAsync(response, ct);
            try
            {
                return await response.Content.ReadFromJsonAsync(result, ct)
                    ?? throw new JsonException("empty body");
            }
            catch (JsonException e)
            {
                throw new MattermostException(MattermostFailure.ServerError, (int)response.StatusCode, "",
                    $"Mattermost answered {method} {PathOnly(path)} with a body that is not the expected JSON.", e);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout fired: the request may have reached Mattermost.
            throw new MattermostException(MattermostFailure.TimedOut, 0, "", $"Mattermost did not answer {method} {PathOnly(path)} in time.", e);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable or SocketError.HostUnreachable })
        {
            throw new MattermostException(MattermostFailure.Unreachable, 0, "", $"Mattermost could not be reached for {method} {PathOnly(path)}.", e);
        }
        catch (HttpRequestException e)
        {
            // The connection broke after it was made: whether the request was applied is not known.
            throw new MattermostException(MattermostFailure.TimedOut, 0, "", $"The connection to Mattermost broke during {method} {PathOnly(path)}.", e);
        }
    }

    private static async Task<MattermostException> ErrorFromAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        AppErrorBody? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(Json.AppErrorBody, ct);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // 429 and proxies answer with plain text.
        }
        var failure = status >= 500 ? MattermostFailure.ServerError : MattermostFailure.Rejected;
        var message = status == (int)HttpStatusCode.TooManyRequests ? "Mattermost is rate limiting the bot." : error?.Message ?? $"Mattermost answered {status}.";
        return new MattermostException(failure, status, error?.Id ?? "", message) { RetryAfter = RetryAfterOf(response) };
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    /// <summary>A request body can be sent once: each attempt gets its own copy.</summary>
    private static async Task<HttpContent> CopyAsync(HttpContent content, CancellationToken ct)
    {
        var copy = new ByteArrayContent(await content.ReadAsByteArrayAsync(ct));
        foreach (var header in content.Headers)
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return copy;
    }

    private static string PathOnly(string path) => path.Split('?')[0];
}

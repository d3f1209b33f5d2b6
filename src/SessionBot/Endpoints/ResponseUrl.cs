using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;
using SessionBot.Replies;

namespace SessionBot.Endpoints;

/// <summary>
/// Delayed replies through a command's <c>response_url</c>. Only the path is taken from the request, and only when
/// it is Mattermost's <c>/hooks/commands/&lt;id&gt;</c>; it is posted to the configured Mattermost, so a forged URL
/// cannot make the bot post anywhere else.
/// </summary>
public sealed partial class ResponseUrl(HttpClient http, IOptions<MattermostOptions> options, ILogger<ResponseUrl> logger)
{
    /// <summary>Mattermost takes at most five posts per response URL, within 30 minutes.</summary>
    public const int MaxPosts = 5;

    [GeneratedRegex("^/hooks/commands/[a-z0-9]{1,64}$")]
    private static partial Regex HookPath();

    /// <summary>Where to post, or null when the request's response_url is not a Mattermost command hook.</summary>
    public Uri? Resolve(string responseUrl)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var given) || !HookPath().IsMatch(given.AbsolutePath))
            return null;
        return new Uri(options.Value.Url.TrimEnd('/') + given.AbsolutePath);
    }

    public async Task PostAsync(Uri target, CommandResponse reply, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(target, reply, ReplyJson.Default.CommandResponse, ct);
            if (!response.IsSuccessStatusCode)
                logger.LogWarning("Posting a delayed reply to {Path} failed: HTTP {Status}.", target.AbsolutePath, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("Posting a delayed reply to {Path} failed: {Error}.", target.AbsolutePath, e.GetType().Name);
        }
    }
}

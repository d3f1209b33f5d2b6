using System.Diagnostics;
using Refit;
using SessionBot.Mattermost;

namespace SessionBot.Metrics;

/// <summary>
/// Records each Mattermost call (retries included) under its route template, e.g. <c>/users/{userId}/sessions</c>,
/// never the path itself, which holds ids; the status is the final answer's, or the failure's kind.
/// </summary>
public sealed class MattermostCallMetrics(BotMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var status = "cancelled";
        try
        {
            var response = await base.SendAsync(request, ct);
            status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return response;
        }
        catch (MattermostException e)
        {
            status = e.StatusCode > 0 ? e.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : e.Failure.ToString().ToLowerInvariant();
            throw;
        }
        finally
        {
            var route = request.Options.TryGetValue(new HttpRequestOptionsKey<string>(HttpRequestMessageOptions.RelativePathTemplate), out var template) ? template : "other";
            metrics.MattermostCalled(route, request.Method.Method, status, Stopwatch.GetElapsedTime(started));
        }
    }
}

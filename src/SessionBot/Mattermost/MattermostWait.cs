using System.Diagnostics;
using System.Globalization;

namespace SessionBot.Mattermost;

/// <summary>
/// How long one request to the bot waited on Mattermost: the union of its calls' times up to each response's
/// headers (calls made in parallel count once). Sent back in a <c>Server-Timing</c> header, so the bot's own share of
/// a command's latency can be measured from outside (the benchmark does).
/// </summary>
public sealed class MattermostWait
{
    private static readonly AsyncLocal<MattermostWait?> Current = new();
    private readonly List<(long Start, long End)> calls = [];

    /// <summary>Starts counting for the calls made from here on in this asynchronous flow.</summary>
    public static MattermostWait Begin() => Current.Value = new MattermostWait();

    public TimeSpan Total
    {
        get
        {
            lock (calls)
            {
                var total = 0L;
                var (start, end) = (0L, long.MinValue);
                foreach (var call in calls.OrderBy(c => c.Start))
                {
                    if (call.Start > end)
                    {
                        total += end > start ? end - start : 0;
                        (start, end) = call;
                    }
                    else
                    {
                        end = Math.Max(end, call.End);
                    }
                }
                total += end > start ? end - start : 0;
                return Stopwatch.GetElapsedTime(0, total);
            }
        }
    }

    /// <summary>The <c>Server-Timing</c> header value (W3C Server Timing): <c>mattermost;dur=12.34</c>, in milliseconds.</summary>
    public string ServerTiming => string.Create(CultureInfo.InvariantCulture, $"mattermost;dur={Total.TotalMilliseconds:F2}");

    /// <summary>Times every Mattermost call made while a <see cref="MattermostWait"/> is current.</summary>
    public sealed class Handler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var wait = Current.Value;
            var start = Stopwatch.GetTimestamp();
            try
            {
                return await base.SendAsync(request, ct);
            }
            finally
            {
                if (wait is not null)
                {
                    lock (wait.calls)
                        wait.calls.Add((start, Stopwatch.GetTimestamp()));
                }
            }
        }
    }
}

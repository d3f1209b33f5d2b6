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
    private readonly Lock gate = new();
    private int inFlight;
    private long since;
    private long waited;

    /// <summary>Starts counting for the calls made from here on in this asynchronous flow.</summary>
    public static MattermostWait Begin() => Current.Value = new MattermostWait();

    /// <summary>The time during which at least one call was in flight.</summary>
    public TimeSpan Total
    {
        get
        {
            lock (gate)
                return Stopwatch.GetElapsedTime(0, waited + (inFlight > 0 ? Stopwatch.GetTimestamp() - since : 0));
        }
    }

    private void CallStarted()
    {
        lock (gate)
        {
            if (inFlight++ == 0)
                since = Stopwatch.GetTimestamp();
        }
    }

    private void CallEnded()
    {
        lock (gate)
        {
            if (--inFlight == 0)
                waited += Stopwatch.GetTimestamp() - since;
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
            wait?.CallStarted();
            try
            {
                return await base.SendAsync(request, ct);
            }
            finally
            {
                wait?.CallEnded();
            }
        }
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SessionBot.Metrics;

/// <summary>
/// What an operator's dashboard counts, on the <c>SessionBot</c> meter (scraped at <c>/metrics</c> when
/// <c>Metrics:Enabled</c>). Labels are closed sets of words (a trigger, an outcome, a route template): none carries a
/// user id, a username, a session id or any other personal value.
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "SessionBot";

    private readonly Counter<long> commands;
    private readonly Counter<long> targets;
    private readonly Counter<long> clicks;
    private readonly Histogram<double> mattermostCalls;
    private readonly Histogram<double> auditWrites;
    private readonly Counter<long> notices;

    public BotMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        commands = meter.CreateCounter<long>("sessionbot.commands", "{command}", "Commands answered, by trigger and outcome (done, refused, failed, unknown, rate_limited, …).");
        targets = meter.CreateCounter<long>("sessionbot.targets", "{target}", "People acted on, by action and result; refusals by the permission missing.");
        clicks = meter.CreateCounter<long>("sessionbot.button.clicks", "{click}", "Button clicks, by result (done, cancelled, expired, replayed, forged, …).");
        mattermostCalls = meter.CreateHistogram<double>("sessionbot.mattermost.call.duration", "s", "Mattermost REST calls, by route template, method and status, retries included.");
        auditWrites = meter.CreateHistogram<double>("sessionbot.audit.write.duration", "s", "Audit-store writes, by operation and result.");
        notices = meter.CreateCounter<long>("sessionbot.notices", "{notice}", "Posts made in the background, by kind (ops-notice, message: the direct message to the person acted on) and result (posted, failed).");
    }

    public void CommandAnswered(string trigger, string outcome) =>
        commands.Add(1, new TagList { { "trigger", trigger }, { "outcome", outcome } });

    public void TargetActedOn(string action, string result, string? missingPermission = null) =>
        targets.Add(1, new TagList { { "action", action }, { "result", result }, { "missing_permission", missingPermission ?? "" } });

    public void ButtonClicked(string result) => clicks.Add(1, new TagList { { "result", result } });

    public void MattermostCalled(string route, string method, string status, TimeSpan duration) =>
        mattermostCalls.Record(duration.TotalSeconds, new TagList { { "route", route }, { "method", method }, { "status", status } });

    public void AuditWritten(string operation, bool succeeded, TimeSpan duration) =>
        auditWrites.Record(duration.TotalSeconds, new TagList { { "operation", operation }, { "result", succeeded ? "ok" : "failed" } });

    public void NoticePosted(string kind, bool succeeded) =>
        notices.Add(1, new TagList { { "kind", kind }, { "result", succeeded ? "posted" : "failed" } });

    /// <summary>A target's status as a label value: <c>done</c>, <c>not_found</c>, <c>not_recorded</c>, …</summary>
    public static string Word(Replies.OutcomeStatus status) => status switch
    {
        Replies.OutcomeStatus.NotFound => "not_found",
        Replies.OutcomeStatus.NoMatch => "no_match",
        Replies.OutcomeStatus.NotRecorded => "not_recorded",
        Replies.OutcomeStatus.Pending => "pending",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>A trigger as a label value: one of the four, or <c>other</c> (what a request names is not to be trusted).</summary>
    public static string Trigger(string trigger) => Commands.Triggers.All.Contains(trigger) ? trigger : "other";

    /// <summary>Times <paramref name="write"/> and records it, whether it succeeds or throws.</summary>
    public async Task TimeAuditAsync(string operation, Func<Task> write)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            await write();
            succeeded = true;
        }
        finally
        {
            AuditWritten(operation, succeeded, Stopwatch.GetElapsedTime(started));
        }
    }
}

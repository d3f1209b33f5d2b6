using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

/// <summary>One call the emulator answered, as the recorder in front of it saw it: the full target (path and query).</summary>
internal sealed record RecordedCall(string Method, string Target, string Body, string? ContentType, int Status, long Started, long Finished);

/// <summary>
/// Records the calls the emulator answers while switched on, with their query string and content type (the
/// emulator's own log keeps neither). Sits in front of the emulator; switched off it only checks a flag.
/// </summary>
internal sealed class CallRecorder
{
    private readonly List<RecordedCall> calls = [];
    private volatile bool recording;

    public void Start()
    {
        lock (calls)
            calls.Clear();
        recording = true;
    }

    public IReadOnlyList<RecordedCall> Stop()
    {
        recording = false;
        lock (calls)
            return calls.ToArray();
    }

    public void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        if (!recording)
        {
            await next(http);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        http.Request.EnableBuffering();
        var body = await new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        try
        {
            await next(http);
        }
        finally
        {
            var call = new RecordedCall(http.Request.Method, http.Request.Path.Value + http.Request.QueryString.Value, body,
                http.Request.ContentType, http.Response.StatusCode, started, Stopwatch.GetTimestamp());
            lock (calls)
                calls.Add(call);
        }
    });
}

/// <summary>
/// One call of a floor plan. <see cref="Target"/> and <see cref="Body"/> may hold <c>{{0}}</c>, <c>{{1}}</c>…: values that
/// differ on every run (a fresh session's id), filled in by each request. <see cref="After"/>: the calls (indexes) whose
/// answers it waited for.
/// </summary>
internal sealed record FloorCall(string Method, string Target, string Body, string? ContentType, int Status, int[] After);

/// <summary>What the floor does for one command: these calls, in this order of dependence, then a reply of this many bytes.</summary>
internal sealed record FloorPlan(FloorCall[] Calls, int ReplyBytes);

internal static class CallShapes
{
    /// <summary>
    /// The plan of one recorded command: its calls in the order they started, each waiting for the calls that had
    /// finished before it started (recorded with emulator latency, so calls made together overlap and a call that
    /// waited for another starts after it). Only the direct dependences are kept: A → B → C, not also A → C.
    /// </summary>
    /// <param name="values">Values that differ on every run: replaced by placeholders.</param>
    /// <param name="replied">When the reply reached the harness (<see cref="Stopwatch"/> ticks).</param>
    public static FloorPlan Plan(IReadOnlyList<RecordedCall> log, IReadOnlyList<string> values, long replied, int replyBytes)
    {
        var calls = log.OrderBy(c => c.Started).ToArray();
        if (calls.FirstOrDefault(c => c.Finished > replied) is { } late)
            throw new InvalidOperationException($"{late.Method} {late.Target} was still running when the reply arrived: the floor does not model calls made after the reply.");
        var before = calls.Select(c => Enumerable.Range(0, calls.Length).Where(j => calls[j].Finished <= c.Started).ToHashSet()).ToArray();
        var after = before.Select(waited => waited.Where(j => !waited.Any(k => before[k].Contains(j))).Order().ToArray()).ToArray();
        return new FloorPlan([.. calls.Select((c, i) => new FloorCall(c.Method, Template(c.Target, values), Template(c.Body, values), c.ContentType, c.Status, after[i]))], replyBytes);
    }

    public static string Fill(string template, IReadOnlyList<string> values)
    {
        for (var k = 0; k < values.Count; k++)
            template = template.Replace(Placeholder(k), values[k], StringComparison.Ordinal);
        return template;
    }

    public static bool IsTemplate(string text) => text.Contains("{{", StringComparison.Ordinal);

    private static string Template(string text, IReadOnlyList<string> values)
    {
        for (var k = 0; k < values.Count; k++)
            text = text.Replace(values[k], Placeholder(k), StringComparison.Ordinal);
        return text;
    }

    private static string Placeholder(int k) => "{{" + k + "}}";

    /// <summary>Equal for two plans that make the same calls (method, target, content type, body, answer) waiting for the same calls.</summary>
    public static string Signature(FloorPlan plan)
    {
        static string Key(FloorCall c) => $"{c.Method} {c.Target} [{c.ContentType}] {c.Body} → {c.Status}";
        return string.Join("\n", plan.Calls.Select(c => Key(c) + " after {" + string.Join(", ", c.After.Select(j => Key(plan.Calls[j])).Order(StringComparer.Ordinal)) + "}")
            .Order(StringComparer.Ordinal));
    }

    /// <summary>Dependent round trips of the plan: the longest chain of calls waiting for one another.</summary>
    public static int Rounds(FloorPlan plan) => plan.Calls.Length == 0 ? 0 : Depths(plan).Max() + 1;

    /// <summary>e.g. <c>POST users/ids ∥ GET users/…/sessions → POST users/…/sessions/revoke</c>: calls at the same depth, then the next depth.</summary>
    public static string Describe(FloorPlan plan)
    {
        if (plan.Calls.Length == 0)
            return "no call";
        var depths = Depths(plan);
        return string.Join(" → ", plan.Calls.Select((c, i) => (Call: c, Depth: depths[i])).GroupBy(x => x.Depth).OrderBy(g => g.Key)
            .Select(g => string.Join(" ∥ ", g.Select(x => $"`{x.Call.Method} {x.Call.Target.Replace("/api/v4/", "", StringComparison.Ordinal)}`"))));
    }

    private static int[] Depths(FloorPlan plan)
    {
        var depths = new int[plan.Calls.Length];
        for (var i = 0; i < depths.Length; i++)
            depths[i] = plan.Calls[i].After.Length == 0 ? 0 : plan.Calls[i].After.Max(j => depths[j]) + 1;
        return depths;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

// The SessionBot benchmark and soak test. Runs the bot (a separate process, Release build) against the Mattermost
// emulator over loopback, and a bare ASP.NET Core endpoint as the floor, in the same run.
//   bench/run.sh [--out BENCHMARKS.md] [--requests N]      benchmark
//   bench/run.sh --soak 60000                              soak: memory must stay flat, every reply valid
//   BENCH_AUDIT=<sqlite connection string> bench/run.sh     the same with another audit store (e.g. in memory)

var arguments = args.ToList();
string? Arg(string name) => arguments.IndexOf(name) is var i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : null;
var requests = int.Parse(Arg("--requests") ?? "400", CultureInfo.InvariantCulture);
var soak = Arg("--soak") is { } soakCount ? int.Parse(soakCount, CultureInfo.InvariantCulture) : 0;
const int Concurrency = 8;
const string Token = "bench-command-token";

var root = FindRepositoryRoot();
var botDll = Path.Combine(root, "src", "SessionBot", "bin", "Release", "net10.0", "SessionBot.dll");
if (!File.Exists(botDll))
{
    Console.Error.WriteLine($"Build the bot first: dotnet build -c Release src/SessionBot ({botDll} is missing).");
    return 2;
}

var world = CreateDemoWorld();
world.AddUser("bigsessions000000000000000", "big", first: "Many", last: "Sessions");
for (var i = 0; i < 10_000; i++)
    world.AddSession("bigsessions000000000000000", World.Browser("Windows", "Windows 11", "Chrome/131.0"), idle: TimeSpan.FromMinutes(i));
await using var emulator = await EmulatorServer.StartAsync(world);

var data = Directory.CreateTempSubdirectory("sessionbot-bench-");
var coldStart = Stopwatch.StartNew();
using var bot = StartBot(botDll, emulator.BaseUrl, data.FullName, out var botUrl);
using var http = new HttpClient { BaseAddress = new Uri(botUrl), Timeout = TimeSpan.FromSeconds(60) };
await WaitUntilReadyAsync(http);
coldStart.Stop();

await using var floor = await StartFloorAsync();
using var floorHttp = new HttpClient { BaseAddress = new Uri(floor.Urls.First()) };

if (soak > 0)
    return await SoakAsync(soak);

var scenarios = new Scenario[]
{
    new("`/sessions` (own)", DanaId, "sessions", ""),
    new("`/sessions @bob` (helpdesk)", HelpdeskId, "sessions", "@bob"),
    new("`/revoke <id> @bob` (helpdesk)", HelpdeskId, "revoke", "", () => world.AddSession(BobId).Id[..12] + " @bob"),
    new("`/revoke all @bob --yes` (helpdesk)", HelpdeskId, "revoke", "all @bob --yes", () => { world.AddSession(BobId); return null; }),
    new("`/revoke all @bob`, asking to confirm (helpdesk)", HelpdeskId, "revoke", "all @bob", () => { EnsureASession(BobId); return null; }),
    new("`/deactivate @bob --yes` (user manager)", UserManagerId, "deactivate", "@bob --yes", () => { world.Users[BobId].DeleteAt = 0; return null; }),
    new("`/activate @erin --yes` (user manager)", UserManagerId, "activate", "@erin --yes", () => { world.Users[ErinId].DeleteAt = 1; return null; }),
    new("`/revoke help`", DanaId, "revoke", "help"),
    new("`/sessions @big` (10,000 sessions, admin)", AdminId, "sessions", "@big"),
};

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}. Bot: Release build, separate process, SQLite audit store (WAL); emulator, load generator and floor share the harness process; all over loopback.");
report.AppendLine(CultureInfo.InvariantCulture, $"Latency: {requests} requests one at a time (no queueing) at emulator latency 0 ms and {requests / 4} at 20 ms. Throughput: {requests} requests from {Concurrency} concurrent clients at 0 ms, on the same 2 cores as the emulator and the load generator. Bot CPU: the bot process's CPU time during the throughput run, per command.");
report.AppendLine();
report.AppendLine("| Command | Mattermost calls | Dependent round trips | p50 / p99 at 0 ms (ms) | p50 / p99 at 20 ms (ms) | Bot's added p50 / p99 (ms) | … incl. the calls' loopback HTTP (ms) | Bot CPU per command (ms) | Throughput (req/s) | Floor p50 / p99 (ms) | Floor throughput (req/s) | Bot ÷ floor: p50 at 0 ms / throughput |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
// Warm-up: every path runs often enough for the JIT to finish tiering it up before anything is measured.
foreach (var scenario in scenarios)
{
    for (var i = 0; i < (scenario.Text == "@big" ? 20 : 300); i++)
        await SendAsync(scenario);
}

foreach (var scenario in scenarios)
{
    var (calls, rounds, replyLength) = await ProfileAsync(scenario);
    world.Latency = TimeSpan.Zero;
    var fast = await RunAsync(requests, 1, () => SendAsync(scenario));
    bot.Refresh();
    var cpuBefore = bot.TotalProcessorTime;
    var loaded = await RunAsync(requests, Concurrency, () => SendAsync(scenario));
    bot.Refresh();
    var cpuPerCommand = (bot.TotalProcessorTime - cpuBefore).TotalMilliseconds / requests;
    var floorLatency = await LoadFloorAsync(scenario, requests, replyLength, 1);
    var floorLoaded = await LoadFloorAsync(scenario, requests, replyLength, Concurrency);
    world.Latency = TimeSpan.FromMilliseconds(20);
    var (slow, added, addedWithLoopback) = await AddedLatencyAsync(scenario, requests / 4);
    world.Latency = TimeSpan.Zero;
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {scenario.Name} | {calls} | {rounds} | {fast.P50:F2} / {fast.P99:F2} | {slow.P50:F2} / {slow.P99:F2} | {P(added, 0.5):F2} / {P(added, 0.99):F2} | {P(addedWithLoopback, 0.5):F2} / {P(addedWithLoopback, 0.99):F2} | {cpuPerCommand:F2} | {loaded.Throughput:F0} | {floorLatency.P50:F2} / {floorLatency.P99:F2} | {floorLoaded.Throughput:F0} | {fast.P50 / floorLatency.P50:F0}× / {loaded.Throughput / floorLoaded.Throughput:F3} |");
}

var bigSessions = await TimeOneAsync(new Scenario("big", AdminId, "sessions", "@big"), 20);
bot.Refresh();
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"- Cold start to ready (process start until `/readyz` answers 200, sandbox emulator already up): **{coldStart.Elapsed.TotalMilliseconds:F0} ms**.");
report.AppendLine(CultureInfo.InvariantCulture, $"- `/sessions` of a user with 10,000 sessions, one at a time, emulator latency 0: median **{bigSessions:F1} ms** end to end (the reply lists 50 and says how many are not shown).");
report.AppendLine(CultureInfo.InvariantCulture, $"- Bot process memory: peak resident **{PeakRssMb(bot):F0} MB**, resident at the end **{bot.WorkingSet64 / 1048576.0:F0} MB**.");
Console.WriteLine(report);
if (Arg("--out") is { } outFile)
    await File.WriteAllTextAsync(outFile, report.ToString());
bot.Kill(entireProcessTree: true);
return 0;

// Gives the user a session unless they have one: a command that only asks to confirm changes nothing, so adding one
// every run would make the list it counts grow.
void EnsureASession(string userId)
{
    lock (world.Gate)
    {
        if (!world.Sessions.Values.Any(s => s.UserId == userId))
            world.AddSession(userId);
    }
}

async Task<(int Calls, int Rounds, int ReplyLength)> ProfileAsync(Scenario scenario)
{
    world.Latency = TimeSpan.FromMilliseconds(20);
    await SendAsync(scenario);
    await SendAsync(scenario);
    world.ClearRequests();
    var reply = await SendAsync(scenario);
    var log = world.Requests;
    world.Latency = TimeSpan.Zero;
    return (log.Count, World.DependentRoundTrips(log), reply.Length);
}

async Task<string> SendAsync(Scenario scenario) => (await SendTimedAsync(scenario)).Text;

// The reply's text, and how long the bot says it waited on Mattermost (its Server-Timing header).
async Task<(string Text, double WaitedMs)> SendTimedAsync(Scenario scenario)
{
    var text = scenario.Before?.Invoke() ?? scenario.Text;
    using var response = await http.PostAsync("/mattermost/commands", Form(scenario, text));
    var body = await response.Content.ReadAsStringAsync();
    if ((int)response.StatusCode != 200 || response.Content.Headers.ContentType?.MediaType != "application/json")
        throw new InvalidOperationException($"{scenario.Name}: HTTP {(int)response.StatusCode}");
    using var json = JsonDocument.Parse(body);
    var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? values.Single() : throw new InvalidOperationException("no Server-Timing");
    var waited = double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
    return (json.RootElement.GetProperty("text").GetString() ?? throw new InvalidOperationException("no text"), waited);
}

static double P(double[] sorted, double quantile) => sorted[(int)(sorted.Length * quantile)];

async Task<Run> LoadFloorAsync(Scenario scenario, int count, int replyLength, int concurrency) => await RunAsync(count, concurrency, async () =>
{
    using var response = await floorHttp.PostAsync($"/floor?length={replyLength}", Form(scenario, scenario.Text));
    return await response.Content.ReadAsStringAsync();
});

async Task<Run> RunAsync(int count, int concurrency, Func<Task<string>> send)
{
    for (var i = 0; i < 20; i++)
        await send();
    var latencies = new double[count];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) is var i && i < count)
        {
            var started = Stopwatch.GetTimestamp();
            await send();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    Array.Sort(latencies);
    return new Run(count / clock.Elapsed.TotalSeconds, P(latencies, 0.5), P(latencies, 0.99));
}

// The bot's own share of each command, two ways. As the spec defines it: its latency minus the time it waited on
// Mattermost calls (overlapping calls counted once), as the bot measured them (Server-Timing). Stricter: minus only
// the time the emulator spent answering, from its timestamped request log, so the calls' loopback HTTP work on both
// ends counts as the bot's.
async Task<(Run Latency, double[] Added, double[] AddedWithLoopback)> AddedLatencyAsync(Scenario scenario, int count)
{
    var added = new double[count];
    var addedWithLoopback = new double[count];
    var latencies = new double[count];
    for (var i = 0; i < count; i++)
    {
        world.ClearRequests();
        var started = Stopwatch.GetTimestamp();
        var (_, waited) = await SendTimedAsync(scenario);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        added[i] = latencies[i] - waited;
        addedWithLoopback[i] = latencies[i] - WaitedMs(world.Requests);
    }
    Array.Sort(added);
    Array.Sort(addedWithLoopback);
    Array.Sort(latencies);
    return (new Run(0, P(latencies, 0.5), P(latencies, 0.99)), added, addedWithLoopback);
}

static double WaitedMs(IEnumerable<LoggedRequest> log)
{
    var total = 0L;
    var (start, end) = (long.MinValue, long.MinValue);
    foreach (var request in log.OrderBy(r => r.Started))
    {
        if (request.Started > end)
        {
            total += end - start;
            (start, end) = (request.Started, request.Finished);
        }
        else
        {
            end = Math.Max(end, request.Finished);
        }
    }
    total += end - start;
    return total * 1000.0 / Stopwatch.Frequency;
}

async Task<double> TimeOneAsync(Scenario scenario, int count)
{
    var times = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await SendAsync(scenario);
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return times.Order().ElementAt(count / 2);
}

async Task<int> SoakAsync(int count)
{
    var mix = new Scenario[]
    {
        new("sessions", DanaId, "sessions", ""), new("sessions other", HelpdeskId, "sessions", "@bob"),
        new("revoke all", HelpdeskId, "revoke", "all @bob --yes", () => { world.AddSession(BobId); return null; }), new("usage", DanaId, "revoke", "x"),
        new("deactivate", UserManagerId, "deactivate", "@bob --yes", () => { world.Users[BobId].DeleteAt = 0; return null; }), new("help", DanaId, "sessions", "help"),
    };
    var samples = new List<double>();
    var done = 0;
    var failures = 0;
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) is var i && i < count)
        {
            try
            {
                await SendAsync(mix[i % mix.Length]);
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException or HttpRequestException)
            {
                Interlocked.Increment(ref failures);
            }
            if (Interlocked.Increment(ref done) % (count / 10) == 0)
            {
                bot.Refresh();
                lock (samples)
                    samples.Add(bot.WorkingSet64 / 1048576.0);
            }
        }
    }));
    var firstHalf = samples.Take(samples.Count / 2).Skip(1).DefaultIfEmpty(samples.First()).Average();
    var secondHalf = samples.Skip(samples.Count / 2).Average();
    Console.WriteLine(FormattableString.Invariant($"Soak: {count} commands in {clock.Elapsed.TotalSeconds:F1} s ({count / clock.Elapsed.TotalSeconds:F0}/s), {failures} invalid replies."));
    Console.WriteLine("Bot resident memory every 10% (MB): " + string.Join(", ", samples.Select(s => s.ToString("F0", CultureInfo.InvariantCulture))));
    Console.WriteLine(FormattableString.Invariant($"Average of the first half (after the first sample) {firstHalf:F0} MB, of the second half {secondHalf:F0} MB."));
    bot.Kill(entireProcessTree: true);
    var flat = secondHalf <= firstHalf * 1.2;
    Console.WriteLine(failures == 0 && flat ? "PASS: every reply valid, memory flat." : "FAIL: " + (failures > 0 ? "invalid replies. " : "") + (flat ? "" : "memory grew more than 20%."));
    return failures == 0 && flat ? 0 : 1;
}

// The form Mattermost posts, with user_mentions / user_mentions_ids for the users the text mentions.
FormUrlEncodedContent Form(Scenario scenario, string text) => new([.. new Dictionary<string, string>
{
    ["channel_id"] = TownSquareId,
    ["channel_name"] = "town-square",
    ["command"] = "/" + scenario.Trigger,
    ["response_url"] = "",
    ["team_domain"] = TeamName,
    ["team_id"] = TeamId,
    ["text"] = text,
    ["token"] = Token,
    ["trigger_id"] = "t",
    ["user_id"] = scenario.UserId,
    ["user_name"] = world.Users[scenario.UserId].Username,
}, .. world.MentionsIn(text)]);

static Process StartBot(string dll, string mattermostUrl, string dataFolder, out string url)
{
    url = "http://127.0.0.1:5091";
    var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataFolder };
    var environment = new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = url,
        ["Mattermost__Url"] = mattermostUrl,
        ["Mattermost__BotToken"] = BotToken,
        ["Audit__ConnectionString"] = Environment.GetEnvironmentVariable("BENCH_AUDIT") ?? $"Data Source={Path.Combine(dataFolder, "audit.db")}",
        ["RateLimit__Burst"] = "1000000",
        ["RateLimit__CommandsPerMinute"] = "1000000",
        ["Logging__LogLevel__Default"] = "Warning",
    };
    foreach (var trigger in new[] { "sessions", "revoke", "deactivate", "activate" })
        environment[$"Mattermost__CommandTokens__{trigger}"] = Token;
    foreach (var (key, value) in environment)
        start.Environment[key] = value;
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("bot: " + e.Data); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitUntilReadyAsync(HttpClient http)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(30))
    {
        try
        {
            if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                return;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }
        await Task.Delay(10);
    }
    throw new TimeoutException("The bot did not become ready in 30 s.");
}

static async Task<WebApplication> StartFloorAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    var app = builder.Build();
    // The floor: parse the same form, answer JSON of the same size, nothing else.
    app.MapPost("/floor", async (HttpContext context, int length) =>
    {
        var form = await context.Request.ReadFormAsync();
        var text = new string('x', Math.Max(0, length - form["text"].ToString().Length)) + form["text"];
        return Results.Json(new { response_type = "ephemeral", text, skip_slack_parsing = true });
    });
    await app.StartAsync();
    return app;
}

static double PeakRssMb(Process process)
{
    var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SessionBot.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

/// <param name="Before">Prepares the world for one run; may return the text to send instead of <see cref="Text"/>.</param>
internal sealed record Scenario(string Name, string UserId, string Trigger, string Text, Func<string?>? Before = null);

internal sealed record Run(double Throughput, double P50, double P99);

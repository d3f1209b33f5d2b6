using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

// The SessionBot benchmark and soak test. Runs the bot (a separate process, Release build) against the Mattermost
// emulator over loopback, and the floor (FloorServer.cs, also its own process) in the same run.
//   bench/run.sh [--out FILE] [--requests N] [--warmup N]   benchmark (defaults: 400 requests, 300 warm-up runs)
//   bench/run.sh --requests 8 --warmup 5                     smoke run: proves the harness works, figures are noise
//   bench/run.sh --soak 60000                                soak: memory must stay flat, every reply valid
//   BENCH_AUDIT=<sqlite connection string> bench/run.sh       the same with another audit store (e.g. in memory)
//   BENCH_METRICS=1 bench/run.sh                              the same with Metrics:Enabled (OpenTelemetry collecting)
// The floor process: SessionBot.Bench.dll --serve-floor <emulator url>.

if (args is ["--serve-floor", var floorMattermostUrl])
    return await FloorServer.RunAsync(floorMattermostUrl, BotToken);

var arguments = args.ToList();
string? Arg(string name) => arguments.IndexOf(name) is var i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : null;
var requests = int.Parse(Arg("--requests") ?? "400", CultureInfo.InvariantCulture);
var warmup = int.Parse(Arg("--warmup") ?? "300", CultureInfo.InvariantCulture);
var soak = Arg("--soak") is { } soakCount ? int.Parse(soakCount, CultureInfo.InvariantCulture) : 0;
if (requests < 4 || warmup < 1)
{
    Console.Error.WriteLine("--requests must be at least 4 (the 20 ms runs take a quarter of it), --warmup at least 1.");
    return 2;
}
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
var recorder = new CallRecorder();
await using var emulator = await StartEmulatorAsync(world, recorder);
var emulatorUrl = EmulatorUrl(emulator);

// Child processes end with the harness, even when it fails (so they are not disposed before then).
var children = new List<Process>();
void EndChildren()
{
    foreach (var child in children)
    {
        try
        {
            child.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
AppDomain.CurrentDomain.ProcessExit += (_, _) => EndChildren();
AppDomain.CurrentDomain.UnhandledException += (_, _) => EndChildren();

var data = Directory.CreateTempSubdirectory("sessionbot-bench-");
var coldStart = Stopwatch.StartNew();
var bot = StartBot(botDll, emulatorUrl, data.FullName, out var botUrl);
children.Add(bot);
using var http = new HttpClient { BaseAddress = new Uri(botUrl), Timeout = TimeSpan.FromSeconds(60) };
await WaitUntilReadyAsync(http);
coldStart.Stop();

if (soak > 0)
    return await SoakAsync(soak);

var floor = StartFloor(emulatorUrl, out var floorUrl);
children.Add(floor);
using var floorHttp = new HttpClient { BaseAddress = new Uri(floorUrl), Timeout = TimeSpan.FromSeconds(60) };

var scenarios = new Scenario[]
{
    new("`/sessions` (own)", DanaId, "sessions", ""),
    // Bob is deactivated by the /deactivate runs (which also end his sessions): each of his commands first makes him
    // active again with sessions, so they measure an active person's, not an empty list.
    new("`/sessions @bob` (helpdesk)", HelpdeskId, "sessions", "@bob", () => { ActiveWithSessions(BobId); return null; }),
    new("`/revoke <id> @bob` (helpdesk)", HelpdeskId, "revoke", "", () => { ActiveWithSessions(BobId); var s = world.AddSession(BobId); return new(s.Id[..12] + " @bob", s.Id); }),
    new("`/revoke all @bob --yes` (helpdesk)", HelpdeskId, "revoke", "all @bob --yes", () => { ActiveWithSessions(BobId); world.AddSession(BobId); return null; }),
    new("`/revoke all @bob`, asking to confirm (helpdesk)", HelpdeskId, "revoke", "all @bob", () => { ActiveWithSessions(BobId); return null; }),
    new("`/deactivate @bob --yes` (user manager)", UserManagerId, "deactivate", "@bob --yes", () => { world.Users[BobId].DeleteAt = 0; return null; }),
    new("`/activate @erin --yes` (user manager)", UserManagerId, "activate", "@erin --yes", () => { world.Users[ErinId].DeleteAt = 1; return null; }),
    new("`/revoke help`", DanaId, "revoke", "help"),
    new("`/sessions @big` (10,000 sessions, admin)", AdminId, "sessions", "@big"),
};

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}. Bot: Release build, separate process, SQLite audit store (WAL), metrics {(Environment.GetEnvironmentVariable("BENCH_METRICS") == "1" ? "on (Metrics:Enabled)" : "off")}. Floor: separate process (Release), making the Mattermost calls the bot made for the command, recorded from the emulator (below the table). Emulator and load generator share the harness process; all over loopback.");
report.AppendLine(CultureInfo.InvariantCulture, $"Latency: {requests} requests one at a time (no queueing) at emulator latency 0 ms and {requests / 4} at 20 ms. Throughput: {requests} requests from {Concurrency} concurrent clients at 0 ms, on the same 2 cores as the emulator and the load generator. Bot and floor CPU: the process's CPU time during the throughput run, per command. Warm-up: {warmup} runs of each command on the bot and on the floor before anything is measured.");
report.AppendLine();
report.AppendLine("| Command | Mattermost calls | Dependent round trips | p50 / p99 at 0 ms (ms) | p50 / p99 at 20 ms (ms) | Bot's added p50 / p99 (ms) | … incl. the calls' loopback HTTP (ms) | Bot CPU per command (ms) | Throughput (req/s) | Floor p50 / p99 at 0 ms (ms) | Floor throughput (req/s) | Floor CPU per command (ms) | Bot ÷ floor: p50 | Bot ÷ floor: p99 | Bot ÷ floor: throughput (goal ≥ 0.8) | Bot − floor: p50 (ms, goal ≤ 1) |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
var shapes = new StringBuilder();
// Warm-up: every path runs often enough for the JIT to finish tiering it up before anything is measured.
foreach (var scenario in scenarios)
{
    for (var i = 0; i < WarmupOf(scenario); i++)
        await SendAsync(scenario);
}

for (var index = 0; index < scenarios.Length; index++)
{
    var scenario = scenarios[index];
    var (calls, rounds, plan) = await ProfileAsync(scenario);
    await PrepareFloorAsync(scenario, index, plan);
    shapes.AppendLine(CultureInfo.InvariantCulture, $"- {scenario.Name}: {CallShapes.Describe(plan)}");
    world.Latency = TimeSpan.Zero;
    var fast = await RunAsync(requests, 1, () => SendAsync(scenario));
    bot.Refresh();
    var cpuBefore = bot.TotalProcessorTime;
    var loaded = await RunAsync(requests, Concurrency, () => SendAsync(scenario));
    bot.Refresh();
    var cpuPerCommand = (bot.TotalProcessorTime - cpuBefore).TotalMilliseconds / requests;
    var floorLatency = await RunAsync(requests, 1, () => SendFloorAsync(scenario, index));
    floor.Refresh();
    var floorCpuBefore = floor.TotalProcessorTime;
    var floorLoaded = await RunAsync(requests, Concurrency, () => SendFloorAsync(scenario, index));
    floor.Refresh();
    var floorCpuPerCommand = (floor.TotalProcessorTime - floorCpuBefore).TotalMilliseconds / requests;
    world.Latency = TimeSpan.FromMilliseconds(20);
    var (slow, added, addedWithLoopback) = await AddedLatencyAsync(scenario, requests / 4);
    world.Latency = TimeSpan.Zero;
    var throughputRatio = loaded.Throughput / floorLoaded.Throughput;
    var addedOverFloor = fast.P50 - floorLatency.P50;
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {scenario.Name} | {calls} | {rounds} | {fast.P50:F2} / {fast.P99:F2} | {slow.P50:F2} / {slow.P99:F2} | {P(added, 0.5):F2} / {P(added, 0.99):F2} | {P(addedWithLoopback, 0.5):F2} / {P(addedWithLoopback, 0.99):F2} | {cpuPerCommand:F2} | {loaded.Throughput:F0} | {floorLatency.P50:F2} / {floorLatency.P99:F2} | {floorLoaded.Throughput:F0} | {floorCpuPerCommand:F2} | {fast.P50 / floorLatency.P50:F2}× | {fast.P99 / floorLatency.P99:F2}× | {throughputRatio:F2} {Goal(throughputRatio >= 0.8)} | {addedOverFloor:F2} {Goal(addedOverFloor <= 1)} |");
}

var bigSessions = await TimeOneAsync(new Scenario("big", AdminId, "sessions", "@big"), Math.Min(20, requests));
bot.Refresh();
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"- Cold start to ready (process start until `/readyz` answers 200, sandbox emulator already up): **{coldStart.Elapsed.TotalMilliseconds:F0} ms**.");
report.AppendLine(CultureInfo.InvariantCulture, $"- `/sessions` of a user with 10,000 sessions, one at a time, emulator latency 0: median **{bigSessions:F1} ms** end to end (the reply lists 50 and says how many are not shown).");
report.AppendLine(CultureInfo.InvariantCulture, $"- Bot process memory: peak resident **{PeakRssMb(bot):F0} MB**, resident at the end **{bot.WorkingSet64 / 1048576.0:F0} MB**.");
report.AppendLine();
report.AppendLine("The calls of each command, as the bot made them and the floor makes them (`∥`: made together; `→`: after the answers before it):");
report.AppendLine();
report.Append(shapes);
Console.WriteLine(report);
if (Arg("--out") is { } outFile)
    await File.WriteAllTextAsync(outFile, report.ToString());
EndChildren();
return 0;

static string Goal(bool met) => met ? "✓" : "✗";

int WarmupOf(Scenario scenario) => scenario.Text == "@big" ? Math.Min(warmup, 20) : warmup;

// An active account with a few sessions, as the demo organisation has it; topped up, never grown, so a command that
// only asks to confirm (and changes nothing) counts the same list every run.
void ActiveWithSessions(string userId)
{
    lock (world.Gate)
    {
        world.Users[userId].DeleteAt = 0;
        while (world.Sessions.Values.Count(s => s.UserId == userId) < 3)
            world.AddSession(userId);
    }
}

// The command's calls as the bot makes them: its Mattermost calls and dependent round trips (emulator's log), and the
// plan the floor replays. Recorded at 20 ms emulator latency, so calls made together overlap and a call made after
// another's answer starts after it. Three runs, the shape most of them had: a role definition that left the bot's
// cache during one of them (a minute's lifetime) does not become the floor's plan.
async Task<(int Calls, int Rounds, FloorPlan Plan)> ProfileAsync(Scenario scenario)
{
    world.Latency = TimeSpan.FromMilliseconds(20);
    var runs = new List<(int Calls, int Rounds, FloorPlan Plan, string Signature)>();
    for (var run = 0; run < 3; run++)
    {
        world.Requests.Clear();
        var prepared = Prepare(scenario);
        var plan = await RecordAsync(prepared.Values, async () => (await SendTimedAsync(scenario, prepared)).ReplyBytes);
        var log = world.Requests.All;
        runs.Add((log.Count, RequestLog.DependentRoundTrips(log), plan, CallShapes.Signature(plan)));
    }
    world.Latency = TimeSpan.Zero;
    var (calls, rounds, chosen, _) = runs.GroupBy(r => r.Signature).OrderByDescending(g => g.Count()).First().Last();
    return (calls, rounds, chosen);
}

// The calls made while send runs, as a plan; waits a little after the reply, so a call still running then shows.
async Task<FloorPlan> RecordAsync(IReadOnlyList<string> values, Func<Task<int>> send)
{
    recorder.Start();
    var replyBytes = await send();
    var replied = Stopwatch.GetTimestamp();
    await Task.Delay(100);
    return CallShapes.Plan(recorder.Stop(), values, replied, replyBytes);
}

// Gives the floor the command's plan, warms it up like the bot, and checks that it makes the bot's calls in the bot's
// shape (recorded the same way; three tries, as a busy machine can delay a call out of its overlap).
async Task PrepareFloorAsync(Scenario scenario, int index, FloorPlan plan)
{
    (await floorHttp.PutAsJsonAsync($"/plans/{index}", plan)).EnsureSuccessStatusCode();
    for (var i = 0; i < WarmupOf(scenario); i++)
        await SendFloorAsync(scenario, index);
    world.Latency = TimeSpan.FromMilliseconds(20);
    var expected = CallShapes.Signature(plan);
    var seen = "";
    for (var attempt = 0; attempt < 3 && seen != expected; attempt++)
    {
        var prepared = Prepare(scenario);
        var floorPlan = await RecordAsync(prepared.Values, async () => { await SendFloorAsync(scenario, index, prepared); return 0; });
        seen = CallShapes.Signature(floorPlan);
    }
    world.Latency = TimeSpan.Zero;
    if (seen != expected)
        throw new InvalidOperationException($"{scenario.Name}: the floor's calls are not the bot's.\nThe bot's:\n{expected}\nThe floor's:\n{seen}");
}

Prepared Prepare(Scenario scenario) => scenario.Before?.Invoke() ?? new Prepared(null);

async Task<string> SendFloorAsync(Scenario scenario, int index, Prepared? prepared = null)
{
    prepared ??= Prepare(scenario);
    var query = string.Concat(prepared.Values.Select((v, k) => (k == 0 ? "?v=" : "&v=") + Uri.EscapeDataString(v)));
    using var response = await floorHttp.PostAsync($"/floor/{index}{query}", Form(scenario, prepared.Text ?? scenario.Text));
    var body = await response.Content.ReadAsStringAsync();
    if ((int)response.StatusCode != 200)
        throw new InvalidOperationException($"The floor, {scenario.Name}: HTTP {(int)response.StatusCode} {body}");
    return body;
}

async Task<string> SendAsync(Scenario scenario) => (await SendTimedAsync(scenario)).Text;

// The reply's text and size, and how long the bot says it waited on Mattermost (its Server-Timing header).
async Task<(string Text, double WaitedMs, int ReplyBytes)> SendTimedAsync(Scenario scenario, Prepared? prepared = null)
{
    var text = (prepared ?? Prepare(scenario)).Text ?? scenario.Text;
    using var response = await http.PostAsync("/mattermost/commands", Form(scenario, text));
    var body = await response.Content.ReadAsByteArrayAsync();
    if ((int)response.StatusCode != 200 || response.Content.Headers.ContentType?.MediaType != "application/json")
        throw new InvalidOperationException($"{scenario.Name}: HTTP {(int)response.StatusCode}");
    using var json = JsonDocument.Parse(body);
    var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? values.Single() : throw new InvalidOperationException("no Server-Timing");
    var waited = double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
    return (json.RootElement.GetProperty("text").GetString() ?? throw new InvalidOperationException("no text"), waited, body.Length);
}

static double P(double[] sorted, double quantile) => sorted[(int)(sorted.Length * quantile)];

async Task<Run> RunAsync(int count, int concurrency, Func<Task<string>> send)
{
    for (var i = 0; i < Math.Min(20, warmup); i++)
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

// The bot's own share of each command, two ways. As docs/product.md#performance-targets defines it: its latency minus the time it waited on
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
        world.Requests.Clear();
        var started = Stopwatch.GetTimestamp();
        var (_, waited, _) = await SendTimedAsync(scenario);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        added[i] = latencies[i] - waited;
        addedWithLoopback[i] = latencies[i] - WaitedMs(world.Requests.All);
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
        ["Metrics__Enabled"] = Environment.GetEnvironmentVariable("BENCH_METRICS") == "1" ? "true" : "false",
        // The direct messages to the people acted on are posted after the reply, like the ops notices the bench does not
        // configure either: the floor models the reply's calls only.
        ["Notify__AffectedPeople"] = "false",
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

// The emulator as EmulatorServer runs it, with the recorder in front.
static async Task<WebApplication> StartEmulatorAsync(World world, CallRecorder recorder)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    var app = builder.Build();
    recorder.Use(app);
    app.UseEmulator(world);
    app.MapEmulator(world);
    await app.StartAsync();
    return app;
}

static string EmulatorUrl(WebApplication app) =>
    app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");

// The floor: this program with --serve-floor, in its own process like the bot. It prints its address, and ends when
// its standard input does.
static Process StartFloor(string mattermostUrl, out string url)
{
    var start = new ProcessStartInfo("dotnet", [Assembly.GetEntryAssembly()!.Location, "--serve-floor", mattermostUrl])
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    var process = Process.Start(start)!;
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("floor: " + e.Data); };
    process.BeginErrorReadLine();
    var line = process.StandardOutput.ReadLineAsync();
    if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result is not { } address)
        throw new TimeoutException("The floor did not start in 30 s.");
    url = address;
    return process;
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

/// <param name="Before">Prepares the world for one run (of the bot or of the floor); may return what differs in that run.</param>
internal sealed record Scenario(string Name, string UserId, string Trigger, string Text, Func<Prepared?>? Before = null);

/// <param name="Text">The text to send instead of <see cref="Scenario.Text"/>.</param>
/// <param name="Values">Values the calls carry that differ on every run (a fresh session's id): the floor's plan holds
/// placeholders for them, and each floor request brings its own.</param>
internal sealed record Prepared(string? Text, params string[] Values);

internal sealed record Run(double Throughput, double P50, double P99);

using System.Net;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// OpenTelemetry listens to meters by name across the process, so another test's bot would add to these counts: this
/// collection runs on its own.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary><c>GET /metrics</c> as Prometheus scrapes it: counts for dashboards, and nothing personal in any label.</summary>
[Collection(nameof(MetricsTests))]
public class MetricsTests
{
    private static readonly Dictionary<string, string?> Enabled = new() { ["Metrics:Enabled"] = "true" };

    private static async Task<string> ScrapeAsync(SandboxBot bot, string url = "/metrics")
    {
        using var client = bot.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A line of the scrape: the metric with these labels (in any order) and this value.</summary>
    private static string Line(string metric, string value, params string[] labels) =>
        metric + @"\{" + string.Concat(labels.Select(l => $"(?=[^}}]*{System.Text.RegularExpressions.Regex.Escape(l)})")) + @"[^}]*\} " + value + "\n";

    [Fact]
    public async Task TheScrapeCountsCommandsByOutcomeTargetsByResultAndClicksByResult()
    {
        await using var bot = await SandboxBot.StartAsync(Enabled);
        await bot.CommandAsync(HelpdeskId, "sessions", "@bob");
        await bot.CommandAsync(DanaId, "sessions", "@bob");
        var question = await bot.CommandJsonAsync(HelpdeskId, "revoke", "all @bob");
        await bot.ClickAsync(DanaId, SandboxBot.Button(question, "confirm"));
        await bot.ClickAsync(HelpdeskId, SandboxBot.Button(question, "confirm"));
        await bot.ClickAsync(HelpdeskId, SandboxBot.Button(question, "confirm"));

        var scrape = await ScrapeAsync(bot);

        Assert.Matches(Line("sessionbot_commands_total", "1", "trigger=\"sessions\"", "outcome=\"done\""), scrape);
        Assert.Matches(Line("sessionbot_commands_total", "1", "trigger=\"sessions\"", "outcome=\"refused\""), scrape);
        Assert.Matches(Line("sessionbot_commands_total", "1", "trigger=\"revoke\"", "outcome=\"asked_to_confirm\""), scrape);
        Assert.Matches(Line("sessionbot_targets_total", "1", "action=\"list-sessions\"", "result=\"refused\"", "missing_permission=\"edit_other_users\""), scrape);
        Assert.Matches(Line("sessionbot_targets_total", "1", "action=\"revoke-all\"", "result=\"done\""), scrape);
        Assert.Matches(Line("sessionbot_button_clicks_total", "1", "result=\"other_person\""), scrape);
        Assert.Matches(Line("sessionbot_button_clicks_total", "1", "result=\"accepted\""), scrape);
        Assert.Matches(Line("sessionbot_button_clicks_total", "1", "result=\"replayed\""), scrape);
    }

    [Fact]
    public async Task TheScrapeCountsMattermostCallsByRouteAndStatusAndNamesNobody()
    {
        await using var bot = await SandboxBot.StartAsync(Enabled);
        await bot.CommandAsync(HelpdeskId, "sessions", "@bob");
        await bot.CommandAsync(DanaId, "sessions", "@bob");
        await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");

        var scrape = await ScrapeAsync(bot);

        Assert.Matches(@"sessionbot_mattermost_call_duration_seconds_count\{[^}]*method=""GET""[^}]*route=""/users/\{userId\}/sessions""[^}]*status=""200""[^}]*\} 1", scrape);
        Assert.Matches(@"sessionbot_mattermost_call_duration_seconds_count\{[^}]*method=""POST""[^}]*route=""/users/\{userId\}/sessions/revoke/all""[^}]*status=""200""[^}]*\} 1", scrape);
        Assert.Matches(@"sessionbot_audit_write_duration_seconds_count\{[^}]*operation=""append_before_change""[^}]*result=""ok""[^}]*\} 1", scrape);
        Assert.Matches(@"sessionbot_notices_total\{[^}]*kind=""ops-notice""[^}]*result=""posted""[^}]*\} [12]", scrape);
        string[] personal;
        lock (bot.World.Gate)
            personal = [.. bot.World.Users.Values.SelectMany(u => new[] { u.Id, u.Email }), .. bot.World.Sessions.Keys];
        foreach (var value in personal)
            Assert.DoesNotContain(value, scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("\"bob\"", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutMetricsEnabledThereIsNothingToScrape()
    {
        await using var bot = await SandboxBot.StartAsync();
        using var client = bot.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task OnItsOwnPortTheScrapeIsNotServedBesideTheCommands()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>(Enabled) { ["Metrics:Port"] = "9464" });
        using var client = bot.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Contains("# TYPE", await ScrapeAsync(bot, "http://localhost:9464/metrics"));
    }
}

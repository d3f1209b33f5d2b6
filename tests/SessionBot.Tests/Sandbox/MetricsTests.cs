using System.Net;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary><c>GET /metrics</c> as Prometheus scrapes it: counts for dashboards, and nothing personal in any label.</summary>
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
        Assert.Matches(@"sessionbot_notices_total\{[^}]*kind=""ops_channel""[^}]*result=""posted""[^}]*\} [12]", scrape);
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

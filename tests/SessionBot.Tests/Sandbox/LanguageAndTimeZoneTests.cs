using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SessionBot.Audit;
using SessionBot.Sandbox;
using static SessionBot.Sandbox.SandboxSeed;

namespace SessionBot.Tests.Sandbox;

/// <summary>
/// Each person is answered in their Mattermost language and time zone, read from the user object the command reads
/// anyway; posts everyone sees are in Bot:Locale or the server's default language. The bot against the emulator, whose
/// demo people read Mattermost in German (greta), French (sam), Spanish (lee) and English in Asia/Tokyo (uma).
/// </summary>
public class LanguageAndTimeZoneTests
{
    private static IEnumerable<string> ButtonLabels(JsonElement reply) =>
        reply.GetProperty("attachments").EnumerateArray().SelectMany(a => a.GetProperty("actions").EnumerateArray()).Select(a => a.GetProperty("name").GetString()!);

    [Fact]
    public async Task AGermanPersonReadsTheirSessionsButtonsRefusalsAndHelpInGerman()
    {
        await using var bot = await SandboxBot.StartAsync();
        var list = await bot.CommandJsonAsync(GretaId, "sessions", "");
        var text = ReplyText.Plain(list);
        Assert.StartsWith("**Ihre Sitzungen** (2)\n", text);
        Assert.Contains("**Webbrowser unter Windows** · Windows 11, Firefox/133.0 · angemeldet vor 12 Tagen · aktiv vor 12 Minuten · Ablauf: in ", text);
        Assert.Contains("**Desktop-App**", text);
        Assert.EndsWith("Widerrufen Sie eine mit `/revoke <id>` oder alle mit `/revoke all`.", text);
        Assert.Contains("Alle 2 widerrufen", ButtonLabels(list));

        Assert.Equal(":no_entry: Nicht erlaubt für @bob: die Sitzungen einer anderen Person zu verwalten erfordert die Berechtigung, andere Benutzer zu bearbeiten "
            + "(fehlende Berechtigung `edit_other_users`). Nichts wurde geändert.", await bot.CommandAsync(GretaId, "revoke", "all @bob"));
        Assert.Contains("Sie dürfen nur Ihre eigenen Sitzungen verwalten.", await bot.CommandAsync(GretaId, "revoke", "help"));

        var question = await bot.CommandJsonAsync(GretaId, "deactivate", "me");
        Assert.Contains("dieser Server erlaubt es nicht, das eigene Konto zu deaktivieren", ReplyText.Plain(question));
    }

    [Fact]
    public async Task AFrenchAndASpanishPersonReadTheirOwnLanguage()
    {
        await using var bot = await SandboxBot.StartAsync();
        var french = await bot.CommandAsync(SamId, "sessions", "");
        Assert.StartsWith("**Vos sessions** (1)\n- `", french);
        Assert.Contains("**Navigateur web sous Windows** · Windows 11, Edge/131.0 · connexion il y a ", french);
        Assert.Contains("Non autorisé pour @bob", await bot.CommandAsync(SamId, "sessions", "@bob"));

        var spanish = await bot.CommandAsync(LeeId, "sessions", "");
        Assert.StartsWith("**Sus sesiones** (1)\n- `", spanish);
        Assert.Contains("**Navegador web en Windows** · Windows 11, Chrome/131.0 · inicio hace ", spanish);
        Assert.Contains("No permitido para @bob", await bot.CommandAsync(LeeId, "sessions", "@bob"));
    }

    [Fact]
    public async Task APersonInALanguageSessionBotDoesNotSpeakIsAnsweredInEnglish()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.Users[DanaId].Locale = "xx";
        Assert.StartsWith("**Your sessions** (4) · 1 expired\n", await bot.CommandAsync(DanaId, "sessions", ""));
    }

    [Fact]
    public async Task AnAuditTimeIsShownInTheCallersZoneWithItsOffset()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(UserManagerId, "activate", "@bob --yes");
        var record = Assert.Single(await bot.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery(CallerId: UserManagerId), CancellationToken.None));

        var reply = await bot.CommandAsync(UserManagerId, "sessions", "audit");

        // Uma chose Asia/Tokyo in her settings: +09:00, whatever the bot's own zone.
        var inTokyo = TimeZoneInfo.ConvertTime(record.At, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Contains($"({inTokyo} +09:00) · @uma · activate → @bob · already active", reply);
        // Someone with no zone reads the same record in UTC.
        var inUtc = record.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Contains($"({inUtc} UTC) · @uma · activate → @bob", await bot.CommandAsync(AdminId, "sessions", "audit @uma"));
    }

    [Fact]
    public async Task ASessionsExpiryIsShownInTheCallersZoneTooAndInUtcWhenTheyHaveNone()
    {
        await using var bot = await SandboxBot.StartAsync();
        // Uma chose Asia/Tokyo; Dana has no zone.
        Assert.Matches(@"expires \d+ days from now \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+09:00\)\n", await bot.CommandAsync(UserManagerId, "sessions", ""));
        var dana = await bot.CommandAsync(DanaId, "sessions", "");
        Assert.Matches(@"expires 16 days from now \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\n", dana);
        Assert.Matches(@"\*\*expired\*\* 5 days ago \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\n", dana);
    }

    [Fact]
    public async Task WebhookAnswersAndOpsNoticesAreInTheServersDefaultLanguage()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.ClientConfig["DefaultClientLocale"] = "de";

        Assert.StartsWith("**Sitzungen von `@bob`** (Bob Stone) (2)", await bot.WebhookAsync(HelpdeskId, OpsChannelId, "sessions @bob"));

        // Hana reads English; the notice everyone in the ops channel reads is in the server's language.
        Assert.Contains("Signed @bob (Bob Stone) out everywhere", await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes"));
        var notice = Assert.Single(bot.World.Posts, p => p.ChannelId == OpsChannelId);
        Assert.Equal(":white_check_mark: `@hana`: alle Sitzungen von `@bob` widerrufen: erledigt.", notice.Message);

        // Refusals posted in a channel read nobody, not even the config: in the server's language as last read.
        bot.World.Requests.Clear();
        Assert.Equal(":x: SessionBot nimmt Befehle über diesen Webhook nur im Ops-Kanal an. Nichts wurde geändert.",
            ReplyText.Plain(await bot.WebhookAsync(HelpdeskId, TownSquareId, "sessions @bob")));
        Assert.StartsWith("Beginnen Sie die Nachricht mit dem Befehl:", ReplyText.Plain(await bot.WebhookAsync(HelpdeskId, OpsChannelId, "helpme")));
        Assert.DoesNotContain(bot.World.Requests.All, r => r.Path.StartsWith("/api/v4/users") || r.Path == "/api/v4/config/client");
    }

    [Fact]
    public async Task BotLocaleComesBeforeTheServersDefaultLanguage()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Bot:Locale"] = "fr" });
        bot.World.ClientConfig["DefaultClientLocale"] = "de";

        Assert.StartsWith("**Sessions de `@bob`** (Bob Stone) (2)", await bot.WebhookAsync(HelpdeskId, OpsChannelId, "sessions @bob"));
        await bot.CommandAsync(HelpdeskId, "revoke", "all @bob --yes");
        Assert.Equal(":white_check_mark: `@hana` : révoquer toutes les sessions de `@bob` : fait.", Assert.Single(bot.World.Posts, p => p.ChannelId == OpsChannelId).Message);
        Assert.DoesNotContain(bot.World.Requests.All, r => r.Path == "/api/v4/config/client");
    }

    [Fact]
    public async Task TheCallersLanguageCostsNoRoundTrip()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(GretaId, "sessions", "");
        bot.World.Latency = TimeSpan.FromMilliseconds(100);
        bot.World.Requests.Clear();

        Assert.StartsWith("**Ihre Sitzungen**", await bot.CommandAsync(GretaId, "sessions", ""));

        // Her user (for the language) and her sessions are read at the same time: one round trip, as before.
        Assert.Equal(1, RequestLog.DependentRoundTrips(bot.World.Requests.All.Where(r => !r.Path.EndsWith("/posts"))));
        Assert.Contains(bot.World.Requests.All, r => r.Path == "/api/v4/users/ids");
    }

    [Fact]
    public async Task ACommandThatReadsNobodyAnswersInTheLanguageTheCallerWasLastSeenIn()
    {
        await using var bot = await SandboxBot.StartAsync();
        // Nothing is read for a usage error: before the bot has seen Greta, it answers in the server's language.
        Assert.StartsWith("`ab` is too short", await bot.CommandAsync(GretaId, "revoke", "ab"));
        await bot.CommandAsync(GretaId, "sessions", "");
        bot.World.Requests.Clear();

        Assert.StartsWith("`ab` ist zu kurz: Geben Sie mindestens 4 Zeichen der Sitzungs-ID an.\nAufruf:", await bot.CommandAsync(GretaId, "revoke", "ab"));
        Assert.Empty(bot.World.Requests.All);
    }

    [Fact]
    public async Task CancellingAQuestionAnswersInTheClickersLanguage()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.ClientConfig["EnableUserDeactivation"] = "true";
        var question = await bot.CommandJsonAsync(GretaId, "deactivate", "me");
        Assert.StartsWith(":question: Ihr eigenes Konto deaktivieren?", ReplyText.Plain(question));
        Assert.Equal(["Bestätigen", "Abbrechen"], ButtonLabels(question));

        Assert.Equal("Abgebrochen. Nichts wurde geändert.", await bot.ClickAsync(GretaId, SandboxBot.Button(question, "cancel")));
    }

    /// <summary>The offset a zone has at a moment, as replies write it (<c>+01:00</c>).</summary>
    internal static string OffsetIn(string zone, DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("zzz", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ThePersonActedOnIsToldInTheirOwnLanguageAndZoneWhateverTheCallersLanguage()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(HelpdeskId, "revoke", "all @greta --yes --reason phishing report");
        Assert.EndsWith("Reason: phishing report", reply);

        var message = ReplyText.Plain(Assert.Single(bot.World.DirectMessagesOf(GretaId)).Message);
        // Greta reads Mattermost in German in Europe/Berlin: the time has Berlin's offset, not UTC.
        Assert.Matches(@"^:information_source: `@hana` hat Sie am \d{4}-\d\d-\d\d \d\d:\d\d:\d\d " + Regex.Escape(OffsetIn("Europe/Berlin", DateTimeOffset.UtcNow))
            + " überall von Mattermost abgemeldet: Alle Ihre Sitzungen auf allen Geräten wurden beendet.\nGrund: phishing report\nWas jetzt zu tun ist: ", message);
        // The ops channel reads the server's language.
        Assert.Contains(bot.World.Posts, p => p.ChannelId == OpsChannelId && ReplyText.Plain(p.Message).EndsWith("Reason: phishing report"));
    }

    [Fact]
    public async Task AReactivationIsToldInFrenchWithBothTimesInTheirZone()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.CommandAsync(UserManagerId, "deactivate", "@sam --yes --reason left the company");
        await bot.CommandAsync(AdminId, "activate", "@sam --yes --reason rehired");

        var message = ReplyText.Plain(Assert.Single(bot.World.DirectMessagesOf(SamId)).Message);
        var paris = Regex.Escape(OffsetIn("Europe/Paris", DateTimeOffset.UtcNow));
        Assert.Matches(@"^:information_source: `@alex` a réactivé votre compte Mattermost le \d{4}-\d\d-\d\d \d\d:\d\d:\d\d " + paris + " : vous pouvez vous reconnecter.\nMotif : rehired\n"
            + @"Il avait été désactivé par `@uma` le \d{4}-\d\d-\d\d \d\d:\d\d:\d\d " + paris + ", avec le motif suivant : left the company\n", message);
    }

    [Fact]
    public async Task AReasonIsLabelledInTheCallersLanguage()
    {
        await using var bot = await SandboxBot.StartAsync();
        var reply = await bot.CommandAsync(GretaId, "revoke", "all --reason Laptop verloren --yes");
        Assert.StartsWith(":white_check_mark: ", reply);
        Assert.EndsWith("\nGrund: Laptop verloren", reply);
        Assert.Contains("`--reason` gilt nur für Befehle, die etwas ändern (`/revoke`, `/deactivate`, `/activate`): Dieser Befehl liest nur.", await bot.CommandAsync(GretaId, "sessions", "--reason neugierig"));
    }

    [Fact]
    public async Task AButtonUsedTwiceIsRefusedInTheClickersLanguage()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.World.ClientConfig["EnableUserDeactivation"] = "true";
        var question = await bot.CommandJsonAsync(GretaId, "deactivate", "me");
        await bot.ClickAsync(GretaId, SandboxBot.Button(question, "cancel"));

        Assert.Equal("Diese Schaltfläche wurde bereits verwendet. Nichts wurde geändert.", await bot.ClickAsync(GretaId, SandboxBot.Button(question, "cancel")));
    }
}

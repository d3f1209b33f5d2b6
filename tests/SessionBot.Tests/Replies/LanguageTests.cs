using Microsoft.Extensions.Options;
using SessionBot.Actions;
using SessionBot.Audit;
using SessionBot.Commands;
using SessionBot.Commands.Help;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;
using SessionBot.Tests.Commands;

namespace SessionBot.Tests.Replies;

/// <summary>Each reply kind in the reader's language, times in the reader's zone, counts as the reader's culture writes them.</summary>
public class LanguageTests
{
    private static readonly ReplyRenderer Renderer = new(Options.Create(new TemplateOptions()));
    private static readonly UserLabel Bob = new("bob", "Bob Stone");

    private static TargetOutcome Done(int count) => new(OutcomeStatus.Done, "@bob") { User = Bob, Count = count };

    /// <summary>A model of every reply kind, the bot's own words in it in the reader's language.</summary>
    private static (string Kind, object Model) Reply(string kind, Reader reader) => kind switch
    {
        ReplyKind.Help => (kind, new HelpReply("sessions", HelpLines.For("sessions", reader.Language), false, false, false, false)),
        ReplyKind.Usage => (kind, new UsageReply("revoke", reader.Say(((UsageError)CommandParser.Parse("revoke", "ab")).Problem), HelpLines.FormsOf("revoke"))),
        ReplyKind.Sessions => (kind, new SessionsReply(true, Bob, 1, [SessionView.From(TestData.Session(TestData.SessionId(1), TestData.BobId, TimeSpan.FromMinutes(5),
            new SessionProps { Browser = "Desktop App/5.8" }), 8, TestData.Now, reader)], 0, 0)),
        ReplyKind.Outcome => (kind, new OutcomeReply("revoke-all", [Done(2)])),
        ReplyKind.Failure => (kind, new FailureReply(Phrase.Of("failure.unreachable"), NothingChanged: true)),
        ReplyKind.TokenRefused => (kind, new { }),
        ReplyKind.OpsNotice => (kind, new OpsNotice("carol", "command", new OutcomeReply("revoke-all", [Done(2)]))),
        ReplyKind.AuditLog => (kind, new AuditLogReply(true, Bob, [AuditRecordView.From(new AuditEntry
        {
            At = TestData.Now.AddMinutes(-5), CallerId = TestData.CallerId, CallerUsername = "carol", Action = "list-sessions", TargetUsername = "bob",
            Decision = AuditDecision.Refused, Reason = Phrase.Of("policy.others-sessions").English,
        }, TestData.Now, reader)])),
        ReplyKind.RateLimited => (kind, new RateLimitedReply(30)),
        ReplyKind.Confirm => (kind, new ConfirmReply(new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Pending, "@bob") { User = Bob, Count = 3 }]), true, "/revoke all @bob --yes", 5)),
        ReplyKind.Click => (kind, new ClickReply(Phrase.Of("click.cancelled"))),
        ReplyKind.Working => (kind, new { }),
        ReplyKind.Message => (kind, new DirectMessage("revoke-all", "carol", reader.Time(TestData.Now), Done(2)) { GivenReason = "phishing report 4711" }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What each reply kind says, in each language; <c>xx</c> is a locale SessionBot does not speak.</summary>
    public static TheoryData<string, string, string> Says => new()
    {
        { ReplyKind.Help, "de", "Sie dürfen nur Ihre eigenen Sitzungen verwalten." },
        { ReplyKind.Help, "fr", "Vous ne pouvez agir que sur vos propres sessions." },
        { ReplyKind.Help, "es", "Solo puede actuar sobre sus propias sesiones." },
        { ReplyKind.Help, "xx", "You may act on your own sessions only." },
        { ReplyKind.Usage, "de", "`ab` ist zu kurz: Geben Sie mindestens 4 Zeichen der Sitzungs-ID an.\nAufruf:" },
        { ReplyKind.Usage, "fr", "`ab` est trop court : indiquez au moins 4 caractères de l'identifiant de session.\nUtilisation :" },
        { ReplyKind.Usage, "es", "`ab` es demasiado corto: escriba al menos 4 caracteres del ID de sesión.\nUso:" },
        { ReplyKind.Usage, "xx", "`ab` is too short: give at least 4 characters of the session id.\nUsage:" },
        { ReplyKind.Sessions, "de", "**Ihre Sitzungen** (1)\n- `s0000001` **Desktop-App** · Desktop App/5.8 · angemeldet vor 10 Tagen · aktiv vor 5 Minuten · Ablauf: in 20 Tagen (2026-12-12 12:00:00 UTC)" },
        { ReplyKind.Sessions, "fr", "**Vos sessions** (1)\n- `s0000001` **Application de bureau** · Desktop App/5.8 · connexion il y a 10 jours · activité il y a 5 minutes · expiration : dans 20 jours (2026-12-12 12:00:00 UTC)" },
        { ReplyKind.Sessions, "es", "**Sus sesiones** (1)\n- `s0000001` **Aplicación de escritorio** · Desktop App/5.8 · inicio hace 10 días · actividad hace 5 minutos · caduca: en 20 días (2026-12-12 12:00:00 UTC)" },
        { ReplyKind.Sessions, "xx", "**Your sessions** (1)\n- `s0000001` **Desktop app** · Desktop App/5.8 · signed in 10 days ago · active 5 minutes ago · expires 20 days from now (2026-12-12 12:00:00 UTC)" },
        { ReplyKind.Outcome, "de", ":white_check_mark: 2 Sitzungen von @bob (Bob Stone) widerrufen." },
        { ReplyKind.Outcome, "fr", ":white_check_mark: 2 sessions révoquées pour @bob (Bob Stone)." },
        { ReplyKind.Outcome, "es", ":white_check_mark: 2 sesiones revocadas de @bob (Bob Stone)." },
        { ReplyKind.Outcome, "xx", ":white_check_mark: Revoked 2 sessions of @bob (Bob Stone)." },
        { ReplyKind.Failure, "de", ":x: SessionBot konnte Mattermost nicht erreichen. Nichts wurde geändert." },
        { ReplyKind.Failure, "fr", ":x: SessionBot n'a pas pu joindre Mattermost. Rien n'a changé." },
        { ReplyKind.Failure, "es", ":x: SessionBot no pudo contactar con Mattermost. No se cambió nada." },
        { ReplyKind.Failure, "xx", ":x: SessionBot could not reach Mattermost. Nothing changed." },
        { ReplyKind.TokenRefused, "de", "SessionBot nimmt das Token dieses Befehls nicht an und hat nichts ausgeführt." },
        { ReplyKind.TokenRefused, "fr", "SessionBot n'accepte pas le jeton de cette commande, il n'a donc rien fait." },
        { ReplyKind.TokenRefused, "es", "SessionBot no acepta el token de este comando, así que no hizo nada." },
        { ReplyKind.TokenRefused, "xx", "SessionBot does not accept this command's token, so it did nothing." },
        { ReplyKind.OpsNotice, "de", ":white_check_mark: `@carol`: alle Sitzungen von `@bob` widerrufen: erledigt (2 Sitzungen)." },
        { ReplyKind.OpsNotice, "fr", ":white_check_mark: `@carol` : révoquer toutes les sessions de `@bob` : fait (2 sessions)." },
        { ReplyKind.OpsNotice, "es", ":white_check_mark: `@carol`: revocar todas las sesiones de `@bob`: hecho (2 sesiones)." },
        { ReplyKind.OpsNotice, "xx", ":white_check_mark: `@carol` revoke all sessions of `@bob`: done (2 sessions)." },
        { ReplyKind.AuditLog, "de", "**Audit-Einträge über Sie oder von Ihnen**, neueste zuerst\n- vor 5 Minuten (2026-11-22 11:55:00 UTC) · @carol · list-sessions → @bob · abgelehnt: die Sitzungen einer anderen Person zu verwalten erfordert die Berechtigung, andere Benutzer zu bearbeiten" },
        { ReplyKind.AuditLog, "fr", "**Entrées d'audit vous concernant ou faites par vous**, les plus récentes en premier\n- il y a 5 minutes (2026-11-22 11:55:00 UTC) · @carol · list-sessions → @bob · refusé : agir sur les sessions d'une autre personne nécessite la permission de modifier les autres utilisateurs" },
        { ReplyKind.AuditLog, "es", "**Registros de auditoría sobre usted o hechos por usted**, los más recientes primero\n- hace 5 minutos (2026-11-22 11:55:00 UTC) · @carol · list-sessions → @bob · rechazado: actuar sobre las sesiones de otra persona requiere el permiso para editar a otros usuarios" },
        { ReplyKind.AuditLog, "xx", "**Audit records about you or by you**, newest first\n- 5 minutes ago (2026-11-22 11:55:00 UTC) · @carol · list-sessions → @bob · refused: acting on another person's sessions needs permission to edit other users" },
        { ReplyKind.RateLimited, "de", "Sie senden Befehle schneller, als SessionBot sie annimmt (30 pro Minute)." },
        { ReplyKind.RateLimited, "fr", "Vous envoyez des commandes plus vite que SessionBot ne les accepte (30 par minute)." },
        { ReplyKind.RateLimited, "es", "Está enviando comandos más rápido de lo que SessionBot los acepta (30 por minuto)." },
        { ReplyKind.RateLimited, "xx", "You are sending commands faster than SessionBot takes them (30 a minute)." },
        { ReplyKind.Confirm, "de", ":question: 3 Sitzungen von @bob (Bob Stone) widerrufen? Die Person wird überall abgemeldet.\nEs wurde noch nichts geändert. Bestätigen Sie innerhalb von 5 Minuten." },
        { ReplyKind.Confirm, "fr", ":question: Révoquer 3 sessions de @bob (Bob Stone) ? Cette personne sera déconnectée partout.\nRien n'a encore changé. Confirmez sous 5 minutes." },
        { ReplyKind.Confirm, "es", ":question: ¿Revocar 3 sesiones de @bob (Bob Stone)? Se cerrará su sesión en todas partes.\nAún no se ha cambiado nada. Confirme en un plazo de 5 minutos." },
        { ReplyKind.Confirm, "xx", ":question: Revoke 3 sessions of @bob (Bob Stone)? They are signed out everywhere.\nNothing has changed yet. Confirm within 5 minutes." },
        { ReplyKind.Click, "de", "Abgebrochen. Nichts wurde geändert." },
        { ReplyKind.Click, "fr", "Annulé. Rien n'a changé." },
        { ReplyKind.Click, "es", "Cancelado. No se cambió nada." },
        { ReplyKind.Click, "xx", "Cancelled. Nothing changed." },
        { ReplyKind.Working, "de", ":hourglass_flowing_sand: Wird bearbeitet … Das Ergebnis erscheint hier." },
        { ReplyKind.Working, "fr", ":hourglass_flowing_sand: Traitement en cours… Le résultat s'affichera ici." },
        { ReplyKind.Working, "es", ":hourglass_flowing_sand: Procesando… El resultado aparecerá aquí." },
        { ReplyKind.Working, "xx", ":hourglass_flowing_sand: Working on it… The result will follow here." },
        { ReplyKind.Message, "de", ":information_source: `@carol` hat Sie am 2026-11-22 12:00:00 UTC überall von Mattermost abgemeldet: Alle Ihre Sitzungen auf allen Geräten wurden beendet.\nGrund: phishing report 4711\nWas jetzt zu tun ist:" },
        { ReplyKind.Message, "fr", ":information_source: `@carol` vous a déconnecté de Mattermost sur tous vos appareils le 2026-11-22 12:00:00 UTC : toutes vos sessions ont pris fin.\nMotif : phishing report 4711\nQue faire maintenant :" },
        { ReplyKind.Message, "es", ":information_source: `@carol` cerró su sesión de Mattermost en todas partes el 2026-11-22 12:00:00 UTC: todas sus sesiones terminaron, en todos sus dispositivos.\nMotivo: phishing report 4711\nQué hacer ahora:" },
        { ReplyKind.Message, "xx", ":information_source: `@carol` signed you out of Mattermost everywhere on 2026-11-22 12:00:00 UTC: every session of yours ended, on every device.\nReason: phishing report 4711\nWhat to do now:" },
    };

    [Theory]
    [MemberData(nameof(Says))]
    public void EveryReplyKindIsWrittenInTheReadersLanguageWithEnglishForALanguageSessionBotDoesNotSpeak(string kind, string locale, string says)
    {
        var reader = kind == ReplyKind.OpsNotice ? Reader.Public with { Language = Languages.BuiltIn.Find(locale) } : Reader.PersonIn(locale);
        var (_, model) = Reply(kind, reader);
        Assert.Contains(says, ReplyText.Plain(Renderer.Render(kind, model, reader)));
    }

    [Fact]
    public void TheCasesCoverEveryReplyKindInEveryLanguage()
    {
        var covered = Says.Select(row => ((string)row[0], (string)row[1])).ToHashSet();
        foreach (var kind in ReplyKind.All)
        {
            foreach (var locale in Languages.BuiltIn.All.Where(l => l.Code != "en").Select(l => l.Code).Append("xx"))
                Assert.Contains((kind, locale), covered);
        }
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("")]
    [InlineData("pt-br")]
    [InlineData("en-AU")]
    public void APersonInALanguageSessionBotDoesNotSpeakReadsTheEnglishRepliesWordForWord(string locale)
    {
        foreach (var kind in ReplyKind.All)
        {
            var (_, english) = Reply(kind, Reader.Person);
            var (_, theirs) = Reply(kind, Reader.PersonIn(locale));
            Assert.Equal(Renderer.Render(kind, english, Reader.Person), Renderer.Render(kind, theirs, Reader.PersonIn(locale)));
        }
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("DE", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("de_CH", "de")]
    [InlineData("fr", "fr")]
    [InlineData("fr-CA", "fr")]
    [InlineData("es", "es")]
    [InlineData("en", "en")]
    [InlineData("zh-CN", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void ALocaleIsTheLanguageOfItsOwnFileOrOfItsBaseLanguage(string? locale, string language) =>
        Assert.Equal(language, Languages.BuiltIn.Find(locale).Code);

    [Theory]
    [InlineData("en", "… and 1,231 more sessions not shown")]
    [InlineData("de", "… und 1.231 weitere Sitzungen nicht angezeigt")]
    [InlineData("fr", "… et 1\u202F231 autres sessions non affichées")]
    [InlineData("es", "… y 1.231 sesiones más no mostradas")]
    public void CountsAreWrittenAsTheCultureWritesThemWithTheLanguagesPluralForm(string locale, string says)
    {
        var reader = Reader.PersonIn(locale);
        var text = Renderer.Render(ReplyKind.Sessions, new SessionsReply(true, Bob, 1232, [], 1231, 0), reader);
        Assert.Contains(says, text);
    }

    [Theory]
    [InlineData("en", 1, "1 session")]
    [InlineData("en", 0, "0 sessions")]
    [InlineData("de", 1, "1 Sitzung")]
    [InlineData("de", 0, "0 Sitzungen")]
    [InlineData("fr", 1, "1 session")]
    [InlineData("fr", 0, "0 session")]
    [InlineData("fr", 2, "2 sessions")]
    [InlineData("es", 1, "1 sesión")]
    [InlineData("es", 0, "0 sesiones")]
    public void EachLanguageChoosesItsOwnPluralForm(string locale, int count, string says)
    {
        var question = new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Pending, "@bob") { User = Bob, Count = count }]);
        Assert.Contains(says, Renderer.Render(ReplyKind.Confirm, new ConfirmReply(question, true, "", 5), Reader.PersonIn(locale)));
    }

    [Theory]
    [InlineData("Asia/Tokyo", "2026-11-22 20:55:00 +09:00")]
    [InlineData("Europe/Berlin", "2026-11-22 12:55:00 +01:00")]
    [InlineData("America/Mexico_City", "2026-11-22 05:55:00 -06:00")]
    [InlineData("UTC", "2026-11-22 11:55:00 +00:00")]
    [InlineData("", "2026-11-22 11:55:00 UTC")]
    [InlineData("Not/AZone", "2026-11-22 11:55:00 UTC")]
    [InlineData("../../etc/passwd", "2026-11-22 11:55:00 UTC")]
    public void AnAbsoluteTimeIsShownInTheReadersZoneWithItsOffsetOrInUtc(string zone, string shown) =>
        Assert.Equal(shown, Reader.PersonIn("en", zone).Time(TestData.Now.AddMinutes(-5)));

    [Fact]
    public void AnAuditRecordIsShownInTheReadersZone()
    {
        var tokyo = Reader.PersonIn("de", "Asia/Tokyo");
        var entry = new AuditEntry { At = TestData.Now.AddMinutes(-5), CallerId = TestData.CallerId, CallerUsername = "uma", Action = "activate", Decision = AuditDecision.Allowed, Outcome = AuditOutcome.Done };
        var text = ReplyText.Plain(Renderer.Render(ReplyKind.AuditLog, new AuditLogReply(true, Bob, [AuditRecordView.From(entry, TestData.Now, tokyo)]), tokyo));
        Assert.Contains("- vor 5 Minuten (2026-11-22 20:55:00 +09:00) · @uma · activate · erledigt", text);
    }

    [Fact]
    public void ASessionsExpiryIsShownInTheReadersZone()
    {
        var session = TestData.Session(TestData.SessionId(1), TestData.BobId, TimeSpan.Zero, expiresIn: TimeSpan.FromHours(1));
        Assert.Equal("2026-11-22 22:00:00 +09:00", SessionView.From(session, 8, TestData.Now, Reader.PersonIn("en", "Asia/Tokyo")).ExpiresAt);
        Assert.Equal("2026-11-22 13:00:00 UTC", SessionView.From(session, 8, TestData.Now).ExpiresAt);
        Assert.Equal("", SessionView.From(session with { ExpiresAt = 0 }, 8, TestData.Now).ExpiresAt);
    }

    [Theory]
    [InlineData("no user @zed", "abgelehnt: kein Benutzer @zed")]
    [InlineData("this account is protected by the bot's configuration (Policy:ProtectedUsers)", "abgelehnt: dieses Konto ist durch die Konfiguration des Bots geschützt (Policy:ProtectedUsers)")]
    [InlineData("something an older version wrote", "abgelehnt: something an older version wrote")]
    public void AReasonAnAuditRecordKeepsInEnglishIsSaidInTheReadersLanguageWhenItIsTheBots(string stored, string shown)
    {
        var entry = new AuditEntry { At = TestData.Now, CallerId = TestData.CallerId, CallerUsername = "carol", Action = "list-sessions", Decision = AuditDecision.Refused, Reason = stored };
        Assert.Equal(shown, AuditRecordView.From(entry, TestData.Now, Reader.PersonIn("de")).Result);
        Assert.Equal("refused: " + stored, AuditRecordView.From(entry, TestData.Now).Result);
    }

    [Fact]
    public void APublicPostInAnotherLanguageStillNamesUsersInCodeSpans()
    {
        var text = Renderer.Render(ReplyKind.Outcome, new OutcomeReply("revoke-all", [Done(2)]), Reader.Public with { Language = Languages.BuiltIn.Find("de") });
        Assert.Equal(":white_check_mark: 2 Sitzungen von `@bob` (Bob Stone) widerrufen.", text);
    }

    [Fact]
    public void AReplyCutToTheLimitSaysSoInTheReadersLanguage()
    {
        var text = Renderer.Render(ReplyKind.Failure, new FailureReply(new string('x', 40_000), true), Reader.PersonIn("fr"));
        Assert.Equal(ReplyRenderer.MaxLength, text.Length);
        Assert.EndsWith("… (coupé pour tenir dans la limite des messages de Mattermost)", text);
    }

    [Fact]
    public void BotLocaleIsTheLanguageOfRepliesWrittenBeforeTheCallerIsKnown()
    {
        var renderer = new ReplyRenderer(Options.Create(new TemplateOptions()), Options.Create(new BotOptions { Locale = "es" }));
        Assert.StartsWith(":hourglass: Está enviando comandos", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(30)));
        Assert.StartsWith(":hourglass: You are sending commands", Renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(30)));
    }

    [Theory]
    [InlineData("de", true)]
    [InlineData("fr-CA", true)]
    [InlineData("it", false)]
    public void BotLocaleMustBeALanguageSessionBotSpeaks(string locale, bool valid)
    {
        var result = new BotOptionsValidator().Validate(null, new BotOptions { Locale = locale });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
            Assert.Contains("Bot:Locale is invalid: SessionBot does not speak 'it'; it speaks en, de, es, fr.", result.FailureMessage);
    }

    [Theory]
    [InlineData("true", "Europe/Berlin", "Asia/Tokyo", "Europe/Berlin")]
    [InlineData("false", "Europe/Berlin", "Asia/Tokyo", "Asia/Tokyo")]
    [InlineData("false", "Europe/Berlin", "", "")]
    public void APersonsZoneIsTheOneTheirSettingsPreferAsTheServerPicksIt(string automatic, string detected, string chosen, string zone)
    {
        var user = TestData.User(TestData.CallerId, "carol") with
        {
            Locale = "fr",
            Timezone = new() { ["useAutomaticTimezone"] = automatic, ["automaticTimezone"] = detected, ["manualTimezone"] = chosen },
        };
        Assert.Equal(zone, user.PreferredTimezone);
        var reader = new BotUnderTest().Readers.Person(user);
        Assert.Equal(("fr", zone.Length == 0 ? null : zone), (reader.Language.Code, reader.TimeZone?.Id));
    }

    [Theory]
    [InlineData("en", 1.0, "(buttons work for 1 minute)")]
    [InlineData("en", 2.5, "(buttons work for 2 minutes, 30 seconds)")]
    [InlineData("de", 5.0, "(Schaltflächen sind 5 Minuten lang gültig)")]
    [InlineData("fr", 1.0, "(les boutons restent valables 1 minute)")]
    [InlineData("es", 15.0, "(los botones son válidos durante 15 minutos)")]
    public void AButtonsLifetimeIsADurationInTheReadersLanguageAndPlural(string locale, double minutes, string says)
    {
        var reader = Reader.PersonIn(locale);
        Assert.Contains(says, ReplyText.Plain(Renderer.Render(ReplyKind.Click, new ClickReply(Phrase.Of("click.expired", TimeSpan.FromMinutes(minutes))), reader)));
    }
}

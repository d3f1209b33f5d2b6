using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionBot.Audit;
using SessionBot.Configuration;
using SessionBot.Replies;
using SessionBot.Tests.Endpoints;

namespace SessionBot.Tests.Replies;

/// <summary>Templates:Directory: an operator's .sbn files replace the built-in templates, and are never silently ignored.</summary>
public sealed class TemplateFolderTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory();

    public void Dispose() => folder.Delete(true);

    private ReplyRenderer RendererWith(params (string File, string Text)[] files)
    {
        foreach (var (file, text) in files)
            File.WriteAllText(Path.Combine(folder.FullName, file), text);
        return new ReplyRenderer(Options.Create(new TemplateOptions { Directory = folder.FullName }));
    }

    [Fact]
    public void AnOperatorTemplateReplacesTheBuiltInOneOfTheSameName()
    {
        var renderer = RendererWith(("failure.sbn", "Custom: {{ Problem }}"));

        Assert.Equal("Custom: @\u200Dall", renderer.Render(ReplyKind.Failure, new FailureReply("@all", true)));
        Assert.Equal(":grey_question: No user @\u200Dx. Nothing changed.", renderer.Render(ReplyKind.Outcome, new OutcomeReply("activate", [new TargetOutcome(OutcomeStatus.NotFound, "@x")])));
    }

    [Fact]
    public void AValueAnOverridePrintsIsEscapedByTheEngineHoweverTheTemplateWritesIt()
    {
        const string attack = "@all [x](http://evil.example) **b** <!channel>";
        var renderer = RendererWith(("click.sbn", string.Join("\n",
            "{{ Message }}",
            "{{ Message | string.upcase }}",
            "{{ \"[link](\" + Message + \")\" }}",
            "{{ atUser Message }}",
            "{{ (codeUser \"bob\") + Message }}",
            "{{ capture copy }}{{ Message }}{{ end }}{{ copy }}",
            "{{ include 'working' }}")));

        var lines = renderer.Render(ReplyKind.Click, new ClickReply(attack)).Split('\n');

        Assert.Equal(MarkdownEncoder.Escape(attack), lines[0]);
        Assert.Equal(MarkdownEncoder.Escape(attack.ToUpperInvariant()), lines[1]);
        Assert.Equal(MarkdownEncoder.Escape($"[link]({attack})"), lines[2]);
        // Not a username, so not a mention: escaped like any text.
        Assert.Equal(MarkdownEncoder.Escape(attack), lines[3]);
        // Markup a function made, joined with other text, is text again.
        Assert.Equal(MarkdownEncoder.Escape("`@bob`" + attack), lines[4]);
        // Captured output was escaped as it was written, and is escaped again as it is printed: never raw.
        Assert.Equal(MarkdownEncoder.Escape(MarkdownEncoder.Escape(attack)), lines[5]);
        Assert.Equal(":hourglass_flowing_sand: Working on it… The result will follow here.", lines[6]);
        foreach (var line in lines[..6])
            RenderingTests.AssertInert(line);
    }

    [Fact]
    public void AnOverrideOfTheSharedStatusesChangesThemForEveryAction()
    {
        var renderer = RendererWith(("outcome-statuses.sbn", "{{ if target.IsNotFound }}Nobody is called {{ target.Label }}.{{ end }}\n"));

        foreach (var action in new[] { "revoke-all", "deactivate", "activate", "list-sessions" })
            Assert.Equal("Nobody is called @\u200Dx.", renderer.Render(ReplyKind.Outcome, new OutcomeReply(action, [new TargetOutcome(OutcomeStatus.NotFound, "@x")])));
        // The per-action lines are still the built-in ones.
        Assert.Equal(":white_check_mark: Activated @bob.", renderer.Render(ReplyKind.Outcome, new OutcomeReply("activate", [new TargetOutcome(OutcomeStatus.Done, "@bob") { User = new UserLabel("bob", "") }])));
    }

    [Fact]
    public void AnOverrideMayIncludeATemplateOfItsOwnFromTheFolder()
    {
        var renderer = RendererWith(
            ("rate-limited.sbn", "Slow down: {{ CommandsPerMinute }} a minute.\n{{ include 'our-footer.sbn' }}"),
            ("our-footer.sbn", "Questions? Ask in ~{{ \"it-help\" }}."));

        Assert.Equal("Slow down: 30 a minute.\nQuestions? Ask in ~it\\-help.", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(30)));
    }

    [Fact]
    public void ABrokenTemplateStopsTheRendererNamingTheFileLineAndColumn()
    {
        var e = Assert.Throws<InvalidOperationException>(() => RendererWith(("usage.sbn", "{{ Problem }}\n{{ if Problem }}never closed")));

        Assert.Contains("'usage.sbn' does not parse: line 2, column", e.Message);
    }

    [Fact]
    public void AQuestionForAnActionSessionBotNeverAsksAboutNamesTheMissingTemplate()
    {
        var renderer = new ReplyRenderer(Options.Create(new TemplateOptions()));
        var question = new ConfirmReply(new OutcomeReply("revoke-session", [new TargetOutcome(OutcomeStatus.Pending, "@bob")]), true, "/revoke x --yes", 5);

        var e = Assert.Throws<InvalidOperationException>(() => renderer.Render(ReplyKind.Confirm, question));
        Assert.Contains("confirm-revoke-session.sbn", e.Message);
    }

    public static TheoryData<string, string, string[]> BrokenFolders => new()
    {
        { "usage.sbn", "{{ Problem }}\n{{ if Problem }}never closed", ["Templates:Directory is invalid", "'usage.sbn' does not parse: line 2, column"] },
        { "outcome.hbs", "{{#each Targets}}{{/each}}", ["Templates:Directory is invalid", "outcome.hbs", "now Scriban templates", ".sbn", "outcome-<action>.sbn"] },
        { "outcome.sbn", "{{ Targets }}", ["Templates:Directory is invalid", "'outcome.sbn' is no template SessionBot renders or any template includes", "outcome-revoke-all.sbn"] },
        { "failure.sbn", "x\n  {{ include 'footer' }}", ["Templates:Directory is invalid", "'failure.sbn': line 2, column 6: include 'footer': there is no template 'footer.sbn'"] },
    };

    [Theory]
    [MemberData(nameof(BrokenFolders))]
    public void StartupStopsNamingATemplateThatDoesNotParseIsLeftFromHandlebarsOrWouldBeIgnored(string file, string text, string[] message)
    {
        File.WriteAllText(Path.Combine(folder.FullName, file), text);
        var settings = SessionBotApplication.DefaultSettings();
        settings["Templates:Directory"] = folder.FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSessionBot(configuration);
        services.AddAuditStore(configuration);
        using var provider = services.BuildServiceProvider();

        // What the host runs when it starts (ValidateOnStart): a failure stops start-up with this message.
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        foreach (var part in message)
            Assert.Contains(part, e.Message);
    }

    [Fact]
    public void AnOverrideForOneLanguageComesFirstThenTheFoldersOwnThenTheBuiltInOnes()
    {
        Directory.CreateDirectory(Path.Combine(folder.FullName, "de"));
        Directory.CreateDirectory(Path.Combine(folder.FullName, "es"));
        var renderer = RendererWith(
            ("failure.sbn", "Ours: {{ Problem }}"),
            (Path.Combine("de", "failure.sbn"), "Unsere: {{ Problem }}"),
            (Path.Combine("es", "click.sbn"), "Nuestro: {{ Message }}"));
        var failure = new FailureReply(Phrase.Of("failure.unreachable"), true);

        Assert.Equal("Unsere: SessionBot konnte Mattermost nicht erreichen\\.", renderer.Render(ReplyKind.Failure, failure, Reader.PersonIn("de")));
        Assert.Equal("Ours: SessionBot n'a pas pu joindre Mattermost\\.", renderer.Render(ReplyKind.Failure, failure, Reader.PersonIn("fr")));
        Assert.Equal("Ours: SessionBot could not reach Mattermost\\.", renderer.Render(ReplyKind.Failure, failure, Reader.Person));
        Assert.Equal("Nuestro: Cancelado\\.", renderer.Render(ReplyKind.Click, new ClickReply(Phrase.Of("click.cancelled")), Reader.PersonIn("es")));
        // Where the folder has nothing, each language's built-in template.
        Assert.Equal("Annulé\\. Rien n'a changé.", renderer.Render(ReplyKind.Click, new ClickReply(Phrase.Of("click.cancelled")), Reader.PersonIn("fr")));
    }

    [Fact]
    public void AnIncludeIsFoundForTheLanguageOfTheTemplateThatIncludesIt()
    {
        Directory.CreateDirectory(Path.Combine(folder.FullName, "de"));
        var renderer = RendererWith(
            ("rate-limited.sbn", "{{ CommandsPerMinute }}\n{{ include 'our-footer' }}"),
            ("our-footer.sbn", "Ask in ~it-help."),
            (Path.Combine("de", "our-footer.sbn"), "Fragen Sie in ~it-help."));

        Assert.Equal("30\nFragen Sie in ~it-help.", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(30), Reader.PersonIn("de")));
        Assert.Equal("30\nAsk in ~it-help.", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(30), Reader.PersonIn("es")));
    }

    [Fact]
    public void AFolderProblemForOneLanguageNamesTheLanguageAndAFolderForNoLanguageStopsStartup()
    {
        Directory.CreateDirectory(Path.Combine(folder.FullName, "de"));
        Directory.CreateDirectory(Path.Combine(folder.FullName, "it"));
        File.WriteAllText(Path.Combine(folder.FullName, "failure.sbn"), "{{ Problem }} {{ include 'our-footer' }}");
        File.WriteAllText(Path.Combine(folder.FullName, "de", "our-footer.sbn"), "Fragen Sie in ~it-help.");
        File.WriteAllText(Path.Combine(folder.FullName, "de", "fehler.sbn"), "{{ Problem }}");

        var problems = string.Join("\n", ReplyTemplates.Problems(folder.FullName));

        Assert.Contains("Templates:Directory is invalid: the template 'failure.sbn': line 1, column 18: include 'our-footer': there is no template 'our-footer.sbn' for en (English), es (Español), fr (Français)", problems);
        Assert.Contains("the folder 'it' is named like no language SessionBot speaks", problems);
        Assert.Contains("'de/fehler.sbn' is no template SessionBot renders or any template includes", problems);
    }

    [Fact]
    public void PluralTakesAsManyFormsAsALanguageMayNeedAndPicksByTheReadersRule()
    {
        var renderer = RendererWith(("rate-limited.sbn", "{{ plural CommandsPerMinute \"one\" \"other\" \"more\" }} · {{ plural 0 \"one\" }}"));

        Assert.Equal("1 one · 0 one", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(1), Reader.Person));
        Assert.Equal("1.234 other · 0 one", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(1234), Reader.PersonIn("de")));
        Assert.Equal("0 one · 0 one", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(0), Reader.PersonIn("fr")));
        Assert.Equal("0 other · 0 one", renderer.Render(ReplyKind.RateLimited, new RateLimitedReply(0), Reader.PersonIn("es")));
    }

    [Fact]
    public void AFolderOfGoodTemplatesPassesStartupValidation()
    {
        File.WriteAllText(Path.Combine(folder.FullName, "failure.sbn"), ":x: {{ Problem }}\n{{ include 'our-footer' }}");
        File.WriteAllText(Path.Combine(folder.FullName, "our-footer.sbn"), "Ask in ~it-help.");

        Assert.Empty(ReplyTemplates.Problems(folder.FullName));
        Assert.True(new TemplateOptionsValidator().Validate(null, new TemplateOptions { Directory = folder.FullName }).Succeeded);
    }
}

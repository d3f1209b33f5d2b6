using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Tests.Replies;

public class RenderingTests
{
    private static readonly ReplyRenderer Renderer = new(Options.Create(new TemplateOptions()));

    public static TheoryData<string> Attacks => new()
    {
        "](http://evil.example)",
        "[click](http://evil.example)",
        "http://evil.example/login",
        "www.evil.example",
        "@channel",
        "@all @here",
        "<!channel> <!here> <!everyone>",
        "<http://evil.example|click>",
        "| a | b |\n|---|---|\n| c | d |",
        "# Heading",
        "\n# Heading on a new line",
        "```\ncode block\n```",
        "`code`",
        "**bold** _it_ ~~gone~~",
        "![img](http://evil.example/x.png)",
        "line\r\nbreak\u2028and\u2029more",
        "\u202Eevil\u202C",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void UntrustedTextComesOutInert(string attack)
    {
        var escaped = MarkdownEncoder.Escape(attack);
        AssertInert(escaped);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void SessionPropsAndNamesCannotFormMarkupInTheSessionList(string attack)
    {
        var props = new SessionProps { Platform = attack, Os = attack, Browser = attack };
        var view = SessionView.From(TestData.Session(TestData.SessionId(1), TestData.BobId, TimeSpan.FromMinutes(5), props), 8, TestData.Now);
        var text = Renderer.Render(ReplyKind.Sessions, new SessionsReply(false, new UserLabel("bob", attack), 1, [view], 0, 0));

        // The attack adds no line (no heading, table, list or code block) and forms no link or mention.
        Assert.Equal(3, text.Split('\n').Length);
        AssertNoLinksOrMentions(text);
    }

    [Fact]
    public void MentionsAreBrokenWithAJoinerBecauseABackslashDoesNotStopThem()
    {
        Assert.Equal("@\u200Dchannel", MarkdownEncoder.Escape("@channel"));
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("here")]
    public void UsernamesInAPublicPostStandEachInOneCodeSpanSoNobodyIsNotified(string username)
    {
        var user = new UserLabel(username, "");
        var unknown = new TargetOutcome(OutcomeStatus.Unknown, "@" + username) { User = user, Reason = "Mattermost did not answer." };
        var replies = new[]
        {
            Renderer.Render(ReplyKind.Sessions, new SessionsReply(false, user, 1, [SessionView.From(TestData.Session(TestData.SessionId(1), TestData.BobId, TimeSpan.FromMinutes(5)), 8, TestData.Now)], 0, 0), Reader.Public),
            Renderer.Render(ReplyKind.Outcome, new OutcomeReply("revoke-all", [unknown]), Reader.Public),
            Renderer.Render(ReplyKind.Outcome, new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Done, "@" + username) { User = user, Count = 2 }]), Reader.Public),
        };

        foreach (var text in replies)
        {
            Assert.Contains("@" + username, text, StringComparison.Ordinal);
            Assert.DoesNotContain("@" + username, OutsideCodeSpans(text), StringComparison.Ordinal);
        }
        Assert.Contains($"`/revoke <id> @{username}`", replies[0], StringComparison.Ordinal);
        Assert.Contains($"`/sessions @{username}`", replies[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("here")]
    [InlineData("channel")]
    [InlineData("all")]
    public void AUserNamedLikeAChannelWideMentionIsNeverWrittenAsOneEvenInAnEphemeralReply(string username)
    {
        var user = new UserLabel(username, "");
        var text = Renderer.Render(ReplyKind.Outcome, new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Done, "@" + username) { User = user, Count = 2 }]));

        Assert.Equal($":white_check_mark: Revoked 2 sessions of `@{username}`.", text);
        // Any other real username is still a mention: in an ephemeral reply it notifies nobody, and it links to the user.
        var bob = Renderer.Render(ReplyKind.Outcome, new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Done, "@bob") { User = new UserLabel("bob", ""), Count = 2 }]));
        Assert.Equal(":white_check_mark: Revoked 2 sessions of @bob.", bob);
    }

    [Fact]
    public void TheSameOutcomeIsAMentionForOnePersonAndACodeSpanInAPublicPost()
    {
        var done = new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Done, "@bob") { User = new UserLabel("bob", ""), Count = 2 }]);
        Renderer.Render(ReplyKind.OpsNotice, new OpsNotice("carol", "webhook", done), Reader.Public);

        Assert.Contains("`@bob`", Renderer.Render(ReplyKind.Outcome, done, Reader.Public), StringComparison.Ordinal);
        Assert.Equal(":white_check_mark: Revoked 2 sessions of @bob.", Renderer.Render(ReplyKind.Outcome, done, Reader.Person));
    }

    [Fact]
    public void ATypedCommandToSendBackIsShownAsTypedInsideItsCodeSpan()
    {
        var question = new OutcomeReply("revoke-all", [new TargetOutcome(OutcomeStatus.Pending, "@bob.smith") { User = new UserLabel("bob.smith", ""), Count = 2 }]);
        var text = Renderer.Render(ReplyKind.Confirm, new ConfirmReply(question, false, "/revoke all @bob.smith `x` --yes", 5));
        Assert.EndsWith("To go ahead, send `/revoke all @bob.smith x --yes`.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https:evil。example/login")]
    [InlineData("javascript:alert(1)")]
    [InlineData("tel:123")]
    [InlineData(":skull: :D")]
    [InlineData("$x$ and $$y$$")]
    [InlineData("#tag ~town-square")]
    [InlineData("&#64;channel &lt;3 <3")]
    public void LinksEmojiLatexHashtagsChannelLinksAndEntitiesComeOutBroken(string attack)
    {
        var escaped = MarkdownEncoder.Escape(attack);

        // Every character that starts one of these is followed by a joiner or written as a character reference.
        Assert.Matches("^([^:@#~$&<]|[:@#~]\u200D|&(amp|#60|#36);)*$", escaped.Replace("\\", ""));
        Assert.Equal(attack, ReplyText.Plain(escaped));
    }

    [Fact]
    public void RepliesAlwaysSkipSlackParsingSoSlackMentionsCannotForm()
    {
        Assert.True(new CommandResponse(CommandResponse.Ephemeral, "x").SkipSlackParsing);
    }

    [Fact]
    public void TenThousandSessionsFitInOneMessageAndSayHowManyAreNotShown()
    {
        var sessions = Enumerable.Range(0, 10_000)
            .Select(i => TestData.Session(TestData.SessionId(i), TestData.BobId, TimeSpan.FromMinutes(i),
                new SessionProps { Platform = "Windows", Os = new string('o', 500), Browser = new string('b', 500) }))
            .ToArray();
        var views = sessions.Select(s => SessionView.From(s, 8, TestData.Now)).ToArray();

        var text = Renderer.RenderFitting(ReplyKind.Sessions, 10_000, shown => new SessionsReply(false, new UserLabel("bob", "Bob"), 10_000, views[..shown], 10_000 - shown, 0), Reader.Person);

        Assert.InRange(text.Length, 1, ReplyRenderer.MaxLength);
        var shown = text.Split('\n').Count(l => l.StartsWith("- `"));
        Assert.True(shown > 10, $"only {shown} sessions shown");
        Assert.Contains($"and {10_000 - shown:N0} more sessions not shown", text);
    }

    [Fact]
    public void AnOverlongReplyIsCutToTheLimit()
    {
        var text = Renderer.Render(ReplyKind.Failure, new FailureReply(new string('x', 40_000), true));
        Assert.Equal(ReplyRenderer.MaxLength, text.Length);
        Assert.EndsWith("(cut to fit Mattermost's message limit)", text);
    }

    [Theory]
    [InlineData("", "apple_rn-v2:abc", "iOS app")]
    [InlineData("", "android_rn-v2:abc", "Android app")]
    [InlineData("", "apple:abc", "iOS app (classic)")]
    [InlineData("Desktop App/5.6.0", "", "Desktop app")]
    [InlineData("Chrome/120", "", "Web browser on Windows")]
    public void SessionKindsAreNamedAsMattermostNamesThem(string browser, string deviceId, string kind)
    {
        var session = TestData.Session("x", "u", TimeSpan.Zero, new SessionProps { Browser = browser, Platform = "Windows", Os = "Windows 10" }, deviceId);
        Assert.Equal(kind, SessionView.KindOf(session));
    }

    [Fact]
    public void AccessTokenAndOAuthSessionsAreNamed()
    {
        var token = TestData.Session("x", "u", TimeSpan.Zero, new SessionProps { Type = "UserAccessToken" });
        Assert.Equal("Access token", SessionView.KindOf(token));
        Assert.Equal("OAuth app", SessionView.KindOf(TestData.Session("x", "u", TimeSpan.Zero) with { IsOauth = true }));
        Assert.Equal("Android browser", SessionView.KindOf(TestData.Session("x", "u", TimeSpan.Zero, new SessionProps { Platform = "Linux", Os = "Android 14" })));
    }

    [Fact]
    public void ExpiredSessionsAreMarked()
    {
        var expired = TestData.Session(TestData.SessionId(1), TestData.BobId, TimeSpan.FromDays(3), expiresIn: TimeSpan.FromDays(-2));
        var view = SessionView.From(expired, 8, TestData.Now);
        Assert.True(view.IsExpired);
        var text = Renderer.Render(ReplyKind.Sessions, new SessionsReply(true, new UserLabel("bob", ""), 1, [view], 0, 1));
        Assert.Contains("**expired** 2 days ago", text);
        Assert.Contains("1 expired", text);
    }

    [Fact]
    public void ShortIdsGrowUntilEverySessionIsTellable()
    {
        var sessions = new[] { "abcdefghij000000000000000a", "abcdefghij000000000000000b", "zzzzzzzz00000000000000000c" }
            .Select(id => TestData.Session(id, "u", TimeSpan.Zero)).ToArray();
        Assert.Equal(26, SessionView.ShortIdLength(sessions));
        Assert.Equal(8, SessionView.ShortIdLength(sessions[1..]));
    }

    [Fact]
    public void AReplyCutToTheLimitEndsWithAWholeLineSoNoCodeSpanIsLeftOpen()
    {
        var targets = Enumerable.Range(0, 40)
            .Select(i => new TargetOutcome(OutcomeStatus.Done, "@bob") { User = new UserLabel("bob", new string('n', 300)), OwnedBots = [.. Enumerable.Repeat("helper-bot", 5)] })
            .ToArray();
        var text = Renderer.Render(ReplyKind.Outcome, new OutcomeReply("deactivate", targets), Reader.Public);

        Assert.InRange(text.Length, 1, ReplyRenderer.MaxLength);
        Assert.EndsWith("Their bots stop working: `@helper-bot` `@helper-bot` `@helper-bot` `@helper-bot` `@helper-bot` \n… (cut to fit Mattermost's message limit)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@helper-bot", OutsideCodeSpans(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", -30, "now")]
    [InlineData("en", 59, "now")]
    [InlineData("de", -1, "jetzt")]
    [InlineData("fr", -1, "maintenant")]
    [InlineData("es", -1, "ahora")]
    [InlineData("en", -60, "a minute ago")]
    [InlineData("en", -300, "5 minutes ago")]
    [InlineData("en", -7200, "2 hours ago")]
    [InlineData("en", 86400 * 3, "3 days from now")]
    [InlineData("en", 86400 * 400, "one year from now")]
    [InlineData("de", -86400 * 12, "vor 12 Tagen")]
    [InlineData("de", 86400 * 3, "in 3 Tagen")]
    [InlineData("fr", -7200, "il y a 2 heures")]
    [InlineData("fr", 86400 * 3, "dans 3 jours")]
    [InlineData("es", -300, "hace 5 minutos")]
    [InlineData("es", 86400 * 3, "en 3 días")]
    [InlineData("xx", -300, "5 minutes ago")]
    public void TimesAreRelativeInTheReadersLanguageThroughHumanizer(string locale, int seconds, string expected) =>
        Assert.Equal(expected, Reader.PersonIn(locale).Ago(TestData.Now.AddSeconds(seconds), TestData.Now));

    /// <summary>No Markdown link or image, no autolink, no channel-wide mention, no Slack markup (compared ordinally:
    /// culture-aware comparison ignores the joiner that breaks a mention).</summary>
    internal static void AssertNoLinksOrMentions(string text)
    {
        foreach (var formed in new[] { "](", "[click]", "http://", "www.", "@channel", "@all", "@here", "<!", "<http" })
            Assert.DoesNotContain(formed, text, StringComparison.Ordinal);
    }

    /// <summary>The text Mattermost's server reads for mentions: code spans (as CommonMark closes them) left out.</summary>
    internal static string OutsideCodeSpans(string text)
    {
        var outside = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                outside.Append(text, i, 2);
                i++;
                continue;
            }
            if (text[i] != '`')
            {
                outside.Append(text[i]);
                continue;
            }
            var run = 1;
            while (i + run < text.Length && text[i + run] == '`')
                run++;
            var close = Regex.Match(text[(i + run)..], $"(?<!`)`{{{run}}}(?!`)");
            if (close.Success)
            {
                outside.Append(' ');
                i += run + close.Index + run - 1;
            }
            else
            {
                outside.Append('`', run);
                i += run - 1;
            }
        }
        return outside.ToString();
    }

    /// <summary>What "inert" means in a Mattermost message.</summary>
    internal static void AssertInert(string text)
    {
        // The encoder's character references (&#60; for '<') are no hashtags.
        text = Regex.Replace(text, "&#[0-9]+;", "");
        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$", text, StringComparison.Ordinal);
        AssertNoLinksOrMentions(text);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", text, StringComparison.Ordinal);
        foreach (var c in "`*_[]()#|~")
        {
            for (var i = text.IndexOf(c); i >= 0; i = text.IndexOf(c, i + 1))
                Assert.True(i > 0 && text[i - 1] == '\\', $"unescaped '{c}' in: {text}");
        }
    }
}

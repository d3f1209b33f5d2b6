using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SessionBot.Commands;
using SessionBot.Commands.Help;
using SessionBot.Configuration;
using SessionBot.Mattermost;
using SessionBot.Replies;

namespace SessionBot.Tests.Replies;

/// <summary>
/// Every kind of reply, rendered by the real <see cref="ReplyRenderer"/> from a model full of hostile text (names,
/// session props, token descriptions, bot names, typed text), as an ephemeral reply and as a public post, in every
/// language SessionBot speaks, and read by Mattermost's own Markdown parser: nothing from that text may become a link,
/// image, emoji, LaTeX, hashtag, channel link, HTML, block or mention. The cases are models by reply kind, so they
/// outlive a change of template engine.
/// </summary>
public class MattermostParserTests
{
    private static readonly ReplyRenderer Renderer = new(Options.Create(new TemplateOptions()));

    /// <summary>Text from outside that Mattermost would make live if it were written as it is.</summary>
    public static readonly string[] Live =
    [
        "https:evil。example/login",
        "javascript:alert(1)",
        "data:text/html,x",
        "tel:123 mailto:a@b.example",
        "http://evil.example/login www.evil.example evil.example/login",
        "mallory@evil.co",
        "[click](http://evil.example) ![img](http://evil.example/x.png)",
        "<http://evil.example> <http://evil.example|click>",
        ":skull: :+1:",
        ":D :) ;) :p x-d <3 </3 &lt;3",
        "$\\pi$ and $$x$$",
        "#tag #incident-42",
        "~town-square",
        "@channel @all @here @mallory",
        "&#64;channel &commat;here",
        "\\@all",
        "<!channel> <!here> <!all>",
        "<b>bold</b> <img src=x onerror=alert(1)>",
        "<!-- comment -->",
    ];

    /// <summary>Text from outside that would otherwise add structure: code, tables, headings, quotes, lists, breaks.</summary>
    public static readonly string[] Markup =
    [
        "`code` ``two``",
        "```latex\nx\n```",
        "| a | b |\n|---|---|\n| c | d |",
        "# Heading",
        "\n# Heading on a new line\n> quote\n- item\n1. item\n***",
        "**bold** _it_ ~~gone~~ ~one~",
        "[ ] task",
        "line\r\nbreak\u2028and\u2029more",
        "\u202Eevil\u202C",
        "trailing backslash \\",
        "Ünïcødé 名前 😀",
    ];

    /// <summary>Legal Mattermost usernames, among them words that are also channel-wide mentions.</summary>
    public static readonly string[] Usernames = ["here", "channel", "all", "bob", "alice.b-c_d", "helper-bot"];

    private static readonly string[] ChannelWide = ["here", "channel", "all"];

    /// <summary>The emoji the templates themselves show.</summary>
    private static readonly string[] OwnEmoji =
        ["grey_question", "hourglass", "hourglass_flowing_sand", "information_source", "no_entry", "question", "warning", "white_check_mark", "x"];

    /// <summary>Node types no reply of the bot has; from outside text, any of them is markup that came alive.</summary>
    private static readonly string[] Forbidden =
        ["link", "image", "hashtag", "channel_link", "latex_inline", "html_inline", "html_block", "code_block", "heading", "table", "block_quote", "thematic_break", "del"];

    private static readonly string[] Actions = ["revoke-session", "revoke-all", "deactivate", "activate", "list-sessions", "read-audit", "revoke-token", "revoke-everyone"];

    /// <summary>The actions SessionBot asks about before acting (each has a <c>confirm-&lt;action&gt;.sbn</c>).</summary>
    private static readonly string[] ConfirmedActions = ["revoke-all", "deactivate", "activate", "revoke-everyone"];

    /// <summary>The actions whose target is told in a direct message (each has a <c>message-&lt;action&gt;.sbn</c>).</summary>
    private static readonly string[] ToldActions = ["revoke-session", "revoke-all", "revoke-token", "activate"];

    /// <summary>Templates no reply renders by itself: the per-action templates include them.</summary>
    private static readonly string[] Included = ["outcome-statuses", "confirm-statuses", "confirm-footer"];

    public sealed record ReplyCase(string Kind, string Name, object Model);

    /// <summary>The cases for a reader of <paramref name="language"/>: the texts the bot makes (usage problems, help lines, times, session kinds) are in it.</summary>
    public static IEnumerable<ReplyCase> Cases(Language language)
    {
        var reader = Reader.Person with { Language = language };
        yield return new(ReplyKind.TokenRefused, "token refused", new { });
        yield return new(ReplyKind.RateLimited, "rate limited", new RateLimitedReply(30));
        yield return new(ReplyKind.Working, "working", new { });
        var texts = Live.Concat(Markup).ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            var text = texts[i];
            var user = Usernames[i % Usernames.Length];
            var other = Usernames[(i + 1) % Usernames.Length];
            var name = $"text {i}";
            var label = new UserLabel(user, text);

            foreach (var allowed in new[] { true, false })
                yield return new(ReplyKind.Help, name, new HelpReply("sessions", [new HelpLine("/sessions @username", text), .. HelpLines.For("revoke", language)], allowed, allowed, allowed, allowed));

            foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var (trigger, typed) in new[] { ("activate", word), ("revoke", word), ("revoke", "token " + word), ("revoke", "abcd1234 " + word), (word, "") })
                {
                    if (CommandParser.Parse(trigger, typed) is UsageError usage)
                        yield return new(ReplyKind.Usage, $"{name}: /{trigger} {typed}", new UsageReply(trigger, language.Say(usage.Problem), ["revoke all @username", "sessions @username"]));
                }
            }

            var sessions = new[]
            {
                SessionView.From(TestData.Session(TestData.SessionId(1), TestData.BobId, TimeSpan.FromMinutes(5), new SessionProps { Platform = text, Os = text, Browser = text }), 8, TestData.Now, reader),
                SessionView.From(TestData.Session(TestData.SessionId(2), TestData.BobId, TimeSpan.FromDays(2), new SessionProps { Type = "UserAccessToken", Browser = text }, expiresIn: TimeSpan.FromDays(-1)), 8, TestData.Now, reader),
            };
            foreach (var self in new[] { true, false })
            {
                yield return new(ReplyKind.Sessions, $"{name}, self {self}", new SessionsReply(self, label, 12, sessions, 10, 1));
                yield return new(ReplyKind.Sessions, $"{name}, self {self}, none", new SessionsReply(self, label, 0, [], 0, 0));
                yield return new(ReplyKind.AuditLog, $"{name}, self {self}", new AuditLogReply(self, label,
                [
                    new AuditRecordView(text, text, user, text, other, text, text) { GivenReason = text },
                    AuditRecordView.From(new SessionBot.Audit.AuditEntry { CallerId = "", At = TestData.Now.AddMinutes(-5), CallerUsername = other, Action = "revoke-all", Source = "webhook", Decision = SessionBot.Audit.AuditDecision.Refused, Reason = text }, TestData.Now, reader),
                    AuditRecordView.From(new SessionBot.Audit.AuditEntry { CallerId = "", At = TestData.Now.AddDays(-3), CallerUsername = user, Action = "list-sessions", Source = "command", Decision = SessionBot.Audit.AuditDecision.Refused, Reason = "no user @" + other }, TestData.Now, reader with { TimeZone = Reader.Zone("Asia/Tokyo") }),
                ]));
                yield return new(ReplyKind.AuditLog, $"{name}, self {self}, none", new AuditLogReply(self, label, []));
            }

            foreach (var action in Actions)
            {
                var targets = Enum.GetValues<OutcomeStatus>()
                    .SelectMany(status => new[] { Target(status, text, user, other, self: false), Target(status, text, user, other, self: true), Target(status, text, null, other, self: false) })
                    .ToArray();
                // The reason is typed text: hostile like the rest.
                var outcome = new OutcomeReply(action, targets) { GivenReason = text };
                yield return new(ReplyKind.Outcome, $"{name}, {action}", outcome);
                foreach (var source in new[] { "command", "webhook" })
                    yield return new(ReplyKind.OpsNotice, $"{name}, {action} from {source}", new OpsNotice(user, source, outcome));
                foreach (var buttons in new[] { true, false }.Where(_ => ConfirmedActions.Contains(action)))
                    yield return new(ReplyKind.Confirm, $"{name}, {action}, buttons {buttons}", new ConfirmReply(outcome, buttons, $"/revoke all {text} --yes", 5));
            }

            foreach (var action in ToldActions)
            {
                var done = Target(OutcomeStatus.Done, text, user, other, self: false);
                // Notify:Contact is the operator's own Markdown, printed as it is: here one with nothing live in it.
                yield return new(ReplyKind.Message, $"{name}, {action} message", new DirectMessage(action, user, text, done)
                {
                    GivenReason = text,
                    Contact = "Questions? Ask the IT helpdesk.",
                    Deactivation = new PastDeactivation(other, text, text),
                });
                yield return new(ReplyKind.Message, $"{name}, {action} message, no reason", new DirectMessage(action, other, "2026-11-22 11:55:00 UTC", done with { User = new UserLabel(other, text) }));
            }

            foreach (var nothingChanged in new[] { true, false })
                yield return new(ReplyKind.Failure, $"{name}, nothing changed {nothingChanged}", new FailureReply(text, nothingChanged));
            yield return new(ReplyKind.Failure, $"{name}, the bot's own words", new FailureReply(Phrase.Of("failure.bot-token"), true));
            yield return new(ReplyKind.Click, name, new ClickReply(text));
            yield return new(ReplyKind.Click, $"{name}, the bot's own words", new ClickReply(Phrase.Of("click.expired", TimeSpan.FromMinutes(2.5))));
        }
    }

    /// <summary>One target: found (named by its username, with the hostile text as its full name) or not (named as typed).</summary>
    private static TargetOutcome Target(OutcomeStatus status, string text, string? username, string bot, bool self) =>
        new(status, username is null ? text : "@" + username)
        {
            User = username is null ? null : new UserLabel(username, text),
            IsSelf = self,
            Count = 3,
            SessionId = text,
            Reason = text,
            MissingPermission = "manage_system",
            ErrorId = text,
            SsoProvider = text,
            OwnedBots = [bot, "helper-bot"],
        };

    private sealed record Parsed(ReplyCase Case, bool IsPublic, string Text, MarkdownNode Tree);

    /// <summary>Every case of a language as an ephemeral reply and as a public post, parsed by one node process per language.</summary>
    private static readonly IReadOnlyDictionary<string, Lazy<IReadOnlyList<Parsed>>> Replies = Languages.BuiltIn.All.ToDictionary(language => language.Code,
        language => new Lazy<IReadOnlyList<Parsed>>(() =>
        {
            var rendered = new List<(ReplyCase Case, bool IsPublic, string Text)>();
            foreach (var reply in Cases(language))
            {
                rendered.Add((reply, false, Renderer.Render(reply.Kind, reply.Model, Reader.Person with { Language = language })));
                rendered.Add((reply, true, AsWebhookPost(Renderer.Render(reply.Kind, reply.Model, Reader.Public with { Language = language }))));
            }
            var trees = MattermostParser.Parse(rendered.Select(r => r.Text).ToArray());
            return rendered.Select((r, i) => new Parsed(r.Case, r.IsPublic, r.Text, trees[i])).ToArray();
        }));

    /// <summary>Every reply kind in every language.</summary>
    public static TheoryData<string, string> KindsInEveryLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var language in Languages.BuiltIn.All)
        {
            foreach (var kind in ReplyKind.All)
                data.Add(kind, language.Code);
        }
        return data;
    }

    [MattermostParserTheory]
    [MemberData(nameof(KindsInEveryLanguage))]
    public void NoReplyLetsTextFromOutsideBecomeLiveAsMattermostParsesIt(string kind, string language)
    {
        var replies = Replies[language].Value.Where(r => r.Case.Kind == kind).ToArray();
        Assert.NotEmpty(replies);
        var failures = replies
            .SelectMany(r => Violations(r.Tree, r.IsPublic).Select(v => $"{r.Case.Name} ({(r.IsPublic ? "public post" : "ephemeral")}): {v}\n    {r.Text.Replace("\n", "\n    ")}"))
            .ToArray();
        Assert.True(failures.Length == 0, $"{failures.Length} problems, the first:\n" + string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void EveryReplyKindHasCasesForTheParser() =>
        Assert.Equal(ReplyKind.All.Order(), Cases(Languages.BuiltIn.English).Select(c => c.Kind).Distinct().Order());

    /// <summary>Every built-in template (one per action for outcomes and questions) is read by the parser, in every language.</summary>
    [Fact]
    public void EveryTemplateIsRenderedByTheCasesForTheParser()
    {
        var rendered = Cases(Languages.BuiltIn.English).Select(c => ReplyRenderer.TemplateFor(c.Kind, c.Model)).Distinct().ToArray();
        Assert.Equal(ReplyTemplates.BuiltInNames.Except(Included).Order(), rendered.Order());
        Assert.All(Included, name => Assert.Contains(name, ReplyTemplates.BuiltInNames));
    }

    /// <summary>The check is not blind: the same text written unescaped into a reply is caught, in a post and in an ephemeral reply.</summary>
    [MattermostParserFact]
    public void TheCheckCatchesEveryLiveTextWrittenAsItIs()
    {
        var raw = Live.SelectMany(text => new[] { (text, isPublic: false, markdown: $":x: {text} Nothing changed."), (text, isPublic: true, markdown: AsWebhookPost($":x: {text} Nothing changed.")) }).ToArray();
        var trees = MattermostParser.Parse(raw.Select(r => r.markdown).ToArray());
        var missed = raw.Where((r, i) => !Violations(trees[i], r.isPublic).Any()).Select(r => $"{r.text} ({(r.isPublic ? "public post" : "ephemeral")})").ToArray();
        Assert.True(missed.Length == 0, "not caught: " + string.Join(", ", missed));
    }

    [MattermostParserFact]
    public void ABotMentionOfARealUserIsAllowedOnlyInAnEphemeralReply()
    {
        var trees = MattermostParser.Parse(["Revoked 3 sessions of @bob.", "Revoked 3 sessions of `@bob`."]);
        Assert.Empty(Violations(trees[0], isPublic: false));
        Assert.NotEmpty(Violations(trees[0], isPublic: true));
        Assert.Empty(Violations(trees[1], isPublic: true));
    }

    /// <summary>What is live in a parsed reply that should not be.</summary>
    private static IEnumerable<string> Violations(MarkdownNode tree, bool isPublic)
    {
        foreach (var node in tree.DescendantsAndSelf())
        {
            if (Forbidden.Contains(node.Type))
                yield return $"{node} node";
            else if (node.Type == "emoji" && !OwnEmoji.Contains(node.Emoji))
                yield return $"{node} node";
            else if (node.Type == "at_mention" && (isPublic || !IsBotMention(node.Mention!)))
                yield return $"{node} node{(isPublic ? " in a public post" : "")}";
        }
        foreach (var word in TextRuns(tree).SelectMany(MentionWords))
        {
            if (ChannelWide.Contains(word[1..]))
                yield return $"{word} in the text";
            else if (isPublic)
                yield return $"{word} in the text of a public post notifies";
        }
    }

    /// <summary>A mention the bot makes on purpose, in ephemeral replies only: a real username that is no channel-wide word.</summary>
    private static bool IsBotMention(string mention)
    {
        var username = mention.TrimEnd('.', '-', '_').ToLowerInvariant();
        return Usernames.Contains(username) && !ChannelWide.Contains(username);
    }

    /// <summary>
    /// Text as Mattermost's server reads it for mentions: adjacent text nodes joined (an escape splits them), code
    /// left out. Mentions and emoji count as the text they are written as; any other node ends a run.
    /// </summary>
    private static IEnumerable<string> TextRuns(MarkdownNode tree)
    {
        var run = "";
        foreach (var node in tree.DescendantsAndSelf())
        {
            var text = node.Type switch
            {
                "text" => node.Literal,
                "at_mention" => "@" + node.Mention,
                "emoji" => node.Literal,
                _ => null,
            };
            if (text is not null)
            {
                run += text;
                continue;
            }
            if (run.Length > 0)
                yield return run;
            run = "";
        }
        if (run.Length > 0)
            yield return run;
    }

    /// <summary>The words the server takes as mentions (server/channels/app/mention_parser_standard.go), lower-case, with their '@'.</summary>
    private static IEnumerable<string> MentionWords(string text)
    {
        foreach (var raw in Regex.Split(text, @"[^:.\-_@\p{L}\p{N}]+"))
        {
            if (raw.Length == 0 || (raw.Length > 1 && raw[0] == ':' && raw[^1] == ':'))
                continue;
            var word = raw.TrimStart(':', '.', '-', '_');
            foreach (var part in word.StartsWith('@') ? new[] { word } : word.Split('.', '-', ':'))
            {
                var name = part.TrimEnd('.', '-', ':', '_').ToLowerInvariant();
                if (name.Length > 1 && name[0] == '@')
                    yield return name;
            }
        }
    }

    private static readonly Regex SlackLink = new(@"<([^\n<|>]+)\|([^|\n>]+)>");

    /// <summary>What the server makes of an outgoing-webhook answer before posting it (app/slack.go, app/webhook.go).</summary>
    private static string AsWebhookPost(string text) =>
        SlackLink.Replace(text.Replace("<!channel>", "@channel").Replace("<!here>", "@here").Replace("<!all>", "@all"), "[$2]($1)");
}

using SessionBot.Commands;
using SessionBot.Commands.Activate;
using SessionBot.Commands.AuditLog;
using SessionBot.Commands.Deactivate;
using SessionBot.Commands.Revoke;
using SessionBot.Commands.Sessions;

namespace SessionBot.Tests.Commands;

public class CommandParserTests
{
    private const string Id = "abcdefghijklmnopqrstuvwxyz";
    private const string Id2 = "0123456789abcdefghijklmnop";

    private static TargetRef User(string name) => new(TargetKind.Username, name);
    private static TargetRef UserId(string id) => new(TargetKind.UserId, id);
    private static TargetRef Email(string email) => new(TargetKind.Email, email);

    public static TheoryData<string, string, string> Table => new()
    {
        // trigger, text, expected (a readable rendering of the parsed command)
        { "sessions", "", "List(me)" },
        { "sessions", "   ", "List(me)" },
        { "sessions", "me", "List(me)" },
        { "sessions", "ME", "List(me)" },
        { "sessions", "@Bob", "List(@bob)" },
        { "sessions", "bob.smith", "List(@bob.smith)" },
        { "sessions", Id, $"List({Id})" },
        { "sessions", Id.ToUpperInvariant(), $"List({Id})" },
        { "sessions", "Bob@Example.com", "List(bob@example.com)" },
        { "sessions", "help", "Help" },
        { "sessions", "audit", "Audit(me)" },
        { "sessions", "AUDIT @Bob", "Audit(@bob)" },
        { "sessions", "@audit", "List(@audit)" },
        { "sessions", "audit @bob @alice", "Usage: takes at most one user" },
        { "sessions", " HELP ", "Help" },
        { "/Sessions", "@bob", "List(@bob)" },
        { "revoke", "abcd1234", "RevokeSession(abcd1234, me)" },
        { "revoke", "ABCD1234", "RevokeSession(abcd1234, me)" },
        { "revoke", $"{Id}", $"RevokeSession({Id}, me)" },
        { "revoke", "abcd1234 @bob", "RevokeSession(abcd1234, @bob)" },
        { "revoke", "  abcd1234    bob  ", "RevokeSession(abcd1234, @bob)" },
        { "revoke", "all", "RevokeAll(me)" },
        { "revoke", "ALL", "RevokeAll(me)" },
        { "revoke", "all me", "RevokeAll(me)" },
        { "revoke", "all @bob @alice", "RevokeAll(@bob, @alice)" },
        { "revoke", "all @bob @Bob bob", "RevokeAll(@bob)" },
        { "revoke", $"all {Id2} carol@example.com", $"RevokeAll({Id2}, carol@example.com)" },
        { "revoke", "all @bob --yes", "RevokeAll(@bob) yes" },
        { "revoke", "--YES all @bob", "RevokeAll(@bob) yes" },
        { "revoke", $"token {Id}", $"RevokeToken({Id})" },
        { "revoke", $"Token {Id.ToUpperInvariant()}", $"RevokeToken({Id})" },
        { "revoke", "everyone", "RevokeEveryone" },
        { "revoke", "Everyone --yes", "RevokeEveryone yes" },
        { "revoke", "help", "Help" },
        { "deactivate", "@bob", "Deactivate(@bob)" },
        { "deactivate", "me", "Deactivate(me)" },
        { "deactivate", "@bob alice --yes", "Deactivate(@bob, @alice) yes" },
        { "activate", "@bob", "Activate(@bob)" },
        { "activate", "help", "Help" },
        // Malformed input: a usage error naming what was wrong.
        { "sessions", "@bob @alice", "Usage: takes at most one user" },
        { "sessions", "](http://x)", "Usage: is not a user" },
        { "sessions", "@", "Usage: is not a user" },
        { "sessions", "@@bob", "Usage: is not a user" },
        { "revoke", "", "Usage: Say which session" },
        { "revoke", "abc", "Usage: too short" },
        { "revoke", "abcd-123", "Usage: is not a session id" },
        { "revoke", "@bob", "Usage: Say which session of" },
        { "revoke", "me", "Usage: Say which session of" },
        { "revoke", "bob@example.com", "Usage: Say which session of" },
        { "revoke", "abcd1234 @bob @alice", "Usage: one session and at most one user" },
        { "revoke", "abcd1234 !!", "Usage: is not a user" },
        { "revoke", "token", "Usage: Say which access token" },
        { "revoke", "token abc", "Usage: is not a token id" },
        { "revoke", $"token {Id} extra", "Usage: Say which access token" },
        { "revoke", "everyone now", "Usage: takes nothing after it" },
        { "revoke", "all #general", "Usage: is not a user" },
        { "deactivate", "", "Usage: Say who to deactivate" },
        { "deactivate", "--yes", "Usage: Say who to deactivate" },
        { "activate", "", "Usage: Say who to activate" },
        { "deactivate", "@bob <!channel>", "Usage: is not a user" },
        { "logout", "all", "Usage: Unknown command `/logout`" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void ParsesEveryGrammarForm(string trigger, string text, string expected) =>
        Assert.Equal(expected, Describe(CommandParser.Parse(trigger, text)));

    [Fact]
    public void TooManyTargetsIsAUsageErrorNamingTheLimit()
    {
        var text = "all " + string.Join(' ', Enumerable.Range(0, 30).Select(i => $"@user{i}"));
        var usage = Assert.IsType<UsageError>(CommandParser.Parse("revoke", text, maxTargets: 25));
        Assert.Contains("at most 25", usage.Problem.English);
    }

    [Fact]
    public void UsageMessagesKeepTypedTextInsideOneCodeSpan()
    {
        var usage = Assert.IsType<UsageError>(CommandParser.Parse("sessions", "`@channel`](http://x)"));
        // The typed text loses its backticks, so it cannot close the code span it is shown in.
        Assert.Contains("`@channel](http://x)`", usage.Problem.English);
    }

    [Fact]
    public void UsageMessagesShortenVeryLongInput()
    {
        var usage = Assert.IsType<UsageError>(CommandParser.Parse("sessions", "!" + new string('x', 5000)));
        Assert.True(usage.Problem.English.Length < 300);
    }

    [Fact]
    public void TheTriggerIsKeptOnEveryResult()
    {
        Assert.Equal("revoke", CommandParser.Parse("/REVOKE", "nonsense!").Trigger);
        Assert.Equal("deactivate", CommandParser.Parse("deactivate", "@bob").Trigger);
    }

    private static string Describe(BotCommand command)
    {
        var yes = command.Confirmed ? " yes" : "";
        return command switch
        {
            HelpCommand => "Help",
            UsageError u => "Usage: " + ExpectedFragment(u.Problem.English),
            ListSessionsCommand c => $"List({c.Target})",
            AuditLogCommand c => $"Audit({c.Target})",
            RevokeSessionCommand c => $"RevokeSession({c.SessionIdPrefix}, {c.Target})",
            RevokeAllCommand c => $"RevokeAll({string.Join(", ", c.Targets)}){yes}",
            RevokeTokenCommand c => $"RevokeToken({c.TokenId})",
            RevokeEveryoneCommand => "RevokeEveryone" + yes,
            DeactivateCommand c => $"Deactivate({string.Join(", ", c.Targets)}){yes}",
            ActivateCommand c => $"Activate({string.Join(", ", c.Targets)}){yes}",
            _ => command.GetType().Name,
        };
    }

    /// <summary>Usage problems are compared by the phrase that names what was wrong.</summary>
    private static string ExpectedFragment(string problem)
    {
        string[] phrases =
        [
            "one session and at most one user", "takes at most one user", "at most one user", "is not a user", "Say which session of", "Say which session", "too short",
            "is not a session id", "Say which access token", "is not a token id",
            "takes nothing after it", "Say who to deactivate", "Say who to activate", "Unknown command `/logout`",
        ];
        return phrases.FirstOrDefault(problem.Contains) ?? problem;
    }
}

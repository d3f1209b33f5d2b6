using SessionBot.Replies;

namespace SessionBot.Commands.Help;

/// <summary>Every command form with what it does: help lists them, and a usage reply shows the forms of its trigger.</summary>
public static class HelpLines
{
    /// <summary>A form as typed (the same in every language: the command's words are) and the key of what it does (<c>help.*</c>).</summary>
    private static readonly IReadOnlyDictionary<string, (string Usage, string Does)[]> Lines = new Dictionary<string, (string, string)[]>
    {
        [Triggers.Sessions] =
        [
            ("/sessions", "help.sessions"),
            ("/sessions @username", "help.sessions-other"),
            ("/sessions audit [@username]", "help.sessions-audit"),
        ],
        [Triggers.Revoke] =
        [
            ("/revoke <session-id>", "help.revoke-session"),
            ("/revoke <session-id> @username", "help.revoke-session-other"),
            ("/revoke all", "help.revoke-all"),
            ("/revoke all @username [@username …]", "help.revoke-all-others"),
            ("/revoke token <token-id>", "help.revoke-token"),
            ("/revoke everyone", "help.revoke-everyone"),
            ("/revoke … --reason <text>", "help.reason-told"),
        ],
        [Triggers.Deactivate] =
        [
            ("/deactivate @username [@username …]", "help.deactivate"),
            ("/deactivate me", "help.deactivate-me"),
            ("/deactivate … --reason <text>", "help.reason"),
        ],
        [Triggers.Activate] =
        [
            ("/activate @username [@username …]", "help.activate"),
            ("/activate … --reason <text>", "help.reason-told"),
        ],
    };

    /// <summary>The trigger's forms, each with what it does in <paramref name="language"/>.</summary>
    public static IReadOnlyList<HelpLine> For(string trigger, Language language) =>
        Lines.GetValueOrDefault(trigger, []).Select(line => new HelpLine(line.Usage, language.Say(line.Does))).ToArray();

    /// <summary>The trigger's forms, as typed.</summary>
    public static IReadOnlyList<string> FormsOf(string trigger) => Lines.GetValueOrDefault(trigger, []).Select(line => line.Usage).ToArray();
}

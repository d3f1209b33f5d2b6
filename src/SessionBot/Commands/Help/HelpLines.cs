using SessionBot.Replies;

namespace SessionBot.Commands.Help;

/// <summary>Every command form with what it does: help lists them, and a usage reply shows the forms of its trigger.</summary>
public static class HelpLines
{
    private static readonly IReadOnlyDictionary<string, HelpLine[]> Lines = new Dictionary<string, HelpLine[]>
    {
        [Triggers.Sessions] =
        [
            new("/sessions", "list where you are signed in, newest activity first"),
            new("/sessions @username", "list someone else's sessions (needs permission)"),
            new("/sessions audit [@username]", "the newest audit records about or by you (or, with permission, someone else)"),
        ],
        [Triggers.Revoke] =
        [
            new("/revoke <session-id>", "sign out one of your sessions, by the id /sessions shows (a unique prefix is enough)"),
            new("/revoke <session-id> @username", "sign out one of someone else's sessions"),
            new("/revoke all", "sign yourself out everywhere, this device included"),
            new("/revoke all @username [@username …]", "sign other people out everywhere"),
            new("/revoke token <token-id>", "revoke a personal access token"),
            new("/revoke everyone", "sign out every user (incident response)"),
            new("/revoke … --reason <text>", "say why, at the end of the line (at most 300 characters): kept in the audit record, and told to the person"),
        ],
        [Triggers.Deactivate] =
        [
            new("/deactivate @username [@username …]", "deactivate accounts; this also ends all their sessions"),
            new("/deactivate me", "deactivate your own account, if the server allows it"),
            new("/deactivate … --reason <text>", "say why, at the end of the line (at most 300 characters): kept in the audit record"),
        ],
        [Triggers.Activate] =
        [
            new("/activate @username [@username …]", "reactivate deactivated accounts"),
            new("/activate … --reason <text>", "say why, at the end of the line (at most 300 characters): kept in the audit record, and told to the person"),
        ],
    };

    public static IReadOnlyList<HelpLine> For(string trigger) => Lines.GetValueOrDefault(trigger, []);
}

using SessionBot.Commands.AuditLog;
using static SessionBot.Commands.CommandParser;

namespace SessionBot.Commands.Sessions;

/// <summary>The grammar of <c>/sessions</c>: <c>[target]</c> lists sessions, <c>audit [target]</c> reads audit records.</summary>
public static class SessionsParser
{
    public static BotCommand Parse(List<string> words) => words switch
    {
        [] => new ListSessionsCommand(TargetRef.Me),
        [var audit] when IsKeyword(audit, "audit") => new AuditLogCommand(TargetRef.Me),
        [var audit, var who] when IsKeyword(audit, "audit") => ParseTarget(who) is { } target
            ? new AuditLogCommand(target)
            : NotAUser(who),
        [var audit, ..] when IsKeyword(audit, "audit") => Usage("usage.sessions-audit-one-user"),
        [var who] => ParseTarget(who) is { } target
            ? new ListSessionsCommand(target)
            : NotAUser(who),
        _ => Usage("usage.sessions-one-user"),
    };
}

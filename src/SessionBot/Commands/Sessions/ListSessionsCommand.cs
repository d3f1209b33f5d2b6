namespace SessionBot.Commands.Sessions;

/// <summary><c>/sessions [target]</c>: the target's sessions, by default the caller's.</summary>
public sealed record ListSessionsCommand(TargetRef Target) : BotCommand;

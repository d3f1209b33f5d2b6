namespace SessionBot.Commands.AuditLog;

/// <summary><c>/sessions audit [target]</c>: the newest audit records about or by the target.</summary>
public sealed record AuditLogCommand(TargetRef Target) : BotCommand;

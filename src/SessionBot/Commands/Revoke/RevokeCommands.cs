namespace SessionBot.Commands.Revoke;

/// <summary>Revoke one session by full id or unique prefix (lower-case); <see cref="Target"/> is <c>me</c> unless named.</summary>
public sealed record RevokeSessionCommand(string SessionIdPrefix, TargetRef Target) : BotCommand;

/// <summary><c>/revoke all [target …]</c>: every session of each target (by default the caller).</summary>
public sealed record RevokeAllCommand(IReadOnlyList<TargetRef> Targets) : BotCommand;

/// <summary><c>/revoke token &lt;token-id&gt;</c>: a personal access token (lower-case id).</summary>
public sealed record RevokeTokenCommand(string TokenId) : BotCommand;

/// <summary><c>/revoke everyone</c>: every session of every user.</summary>
public sealed record RevokeEveryoneCommand : BotCommand;

namespace SessionBot.Commands;

/// <summary>The four slash-command triggers the bot answers.</summary>
public static class Triggers
{
    public const string Sessions = "sessions";
    public const string Revoke = "revoke";
    public const string Deactivate = "deactivate";
    public const string Activate = "activate";
    public static readonly IReadOnlySet<string> All = new HashSet<string>([Sessions, Revoke, Deactivate, Activate]);
}

public enum TargetKind { Me, Username, UserId, Email }

/// <summary>A user as the caller named them: <c>me</c>, <c>@name</c>/<c>name</c>, a 26-character id, or an email.</summary>
public sealed record TargetRef(TargetKind Kind, string Value)
{
    public static readonly TargetRef Me = new(TargetKind.Me, "me");
    /// <summary>How the caller wrote it, for replies about users that were not found.</summary>
    public override string ToString() => Kind switch
    {
        TargetKind.Username => "@" + Value,
        _ => Value,
    };
}

/// <summary>A parsed command. <see cref="Confirmed"/> is <c>--yes</c>.</summary>
public abstract record BotCommand
{
    public required string Trigger { get; init; }
    public bool Confirmed { get; init; }
}

public sealed record HelpCommand : BotCommand;

/// <summary>Input that does not fit the grammar; <see cref="Problem"/> says what was wrong.</summary>
public sealed record UsageError(string Problem) : BotCommand;

public sealed record ListSessionsCommand(TargetRef Target) : BotCommand;

/// <summary><c>/sessions audit [target]</c>: the newest audit records about or by the target.</summary>
public sealed record AuditLogCommand(TargetRef Target) : BotCommand;

/// <summary>Revoke one session by full id or unique prefix (lower-case); <see cref="Target"/> is <c>me</c> unless named.</summary>
public sealed record RevokeSessionCommand(string SessionIdPrefix, TargetRef Target) : BotCommand;

public sealed record RevokeAllCommand(IReadOnlyList<TargetRef> Targets) : BotCommand;

public sealed record RevokeTokenCommand(string TokenId) : BotCommand;

public sealed record RevokeEveryoneCommand : BotCommand;

public sealed record DeactivateCommand(IReadOnlyList<TargetRef> Targets) : BotCommand;

public sealed record ActivateCommand(IReadOnlyList<TargetRef> Targets) : BotCommand;

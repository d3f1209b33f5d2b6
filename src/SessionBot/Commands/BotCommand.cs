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

/// <summary>How the caller named a user.</summary>
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

/// <summary>
/// A parsed command: one record per command form, each defined beside its handler (<c>Commands/&lt;Command&gt;/</c>).
/// <see cref="CommandParser.Parse"/> sets <see cref="Trigger"/>, <see cref="Confirmed"/> (<c>--yes</c>) and
/// <see cref="GivenReason"/> (<c>--reason</c>) on every result.
/// </summary>
public abstract record BotCommand
{
    public string Trigger { get; init; } = "";
    public bool Confirmed { get; init; }
    /// <summary>Why, as the caller said with <c>--reason</c> (<see cref="ReasonOption"/>); empty when they did not.</summary>
    public string GivenReason { get; init; } = "";
}

/// <summary><c>/&lt;trigger&gt; help</c>.</summary>
public sealed record HelpCommand : BotCommand;

/// <summary>
/// Input that does not fit the grammar; <see cref="Problem"/> says what was wrong, as Markdown in the strings files
/// (<c>usage.*</c>) whose arguments are typed text made safe for inside its code spans (<see cref="CommandParser.Inline"/>).
/// </summary>
public sealed record UsageError(Replies.Phrase Problem) : BotCommand;

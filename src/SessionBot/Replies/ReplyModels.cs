namespace SessionBot.Replies;

/// <summary>A user as replies name them. Usernames come from Mattermost; names are untrusted and escaped.</summary>
public sealed record UserLabel(string Username, string FullName);

/// <summary>Model of <c>sessions.sbn</c>.</summary>
public sealed record SessionsReply(bool IsSelf, UserLabel Target, int Total, IReadOnlyList<SessionView> Shown, int NotShown, int Expired);

/// <summary>Model of <c>usage.sbn</c>: <see cref="Problem"/> is Markdown made by the parser, with typed text only inside code spans.</summary>
public sealed record UsageReply(string Trigger, [property: BotMarkdown] string Problem, IReadOnlyList<string> Usage);

/// <summary>Model of <c>help.sbn</c>.</summary>
public sealed record HelpReply(string Trigger, IReadOnlyList<HelpLine> Lines, bool CanActOnOthers, bool CanManageUsers, bool CanRevokeEveryone, bool SelfDeactivation);

public sealed record HelpLine(string Usage, string Does);

/// <summary>Model of <c>failure.sbn</c>: the command could not be carried out at all.</summary>
public sealed record FailureReply(Phrase Problem, bool NothingChanged);

/// <summary>Model of <c>outcome-&lt;action&gt;.sbn</c>: what happened to each target of a state-changing command.</summary>
public sealed record OutcomeReply(string Action, IReadOnlyList<TargetOutcome> Targets)
{
    public bool IsBulk => Targets.Count > 1;
    /// <summary>Why, as the caller said with <c>--reason</c> (outside: typed text); empty when they did not.</summary>
    public string GivenReason { get; init; } = "";
}

/// <summary>Model of <c>ops-notice.sbn</c>: a post in the ops channel, so usernames go in code spans (no mention notifies).</summary>
public sealed record OpsNotice(string Caller, string Source, OutcomeReply Outcome)
{
    public bool IsWebhook => Source == "webhook";
}

public enum OutcomeStatus { Done, Unchanged, NotFound, Refused, NoMatch, Ambiguous, Failed, Unknown, NotRecorded, Pending }

/// <summary>
/// One target's result. <see cref="Label"/> is how the caller typed it when the user was not found (or the bot's name for
/// a target that is no user: everyone, a token's owner); <see cref="Reason"/> is the bot's reason, or a token's description.
/// </summary>
public sealed record TargetOutcome(OutcomeStatus Status, Phrase Label)
{
    public UserLabel? User { get; init; }
    public string TargetId { get; init; } = "";
    public bool IsSelf { get; init; }
    public int Count { get; init; }
    public string SessionId { get; init; } = "";
    public Phrase Reason { get; init; } = Phrase.None;
    public string? MissingPermission { get; init; }
    public string ErrorId { get; init; } = "";
    public string SsoProvider { get; init; } = "";
    public IReadOnlyList<string> OwnedBots { get; init; } = [];
    /// <summary>The target is a bot account: nobody reads its direct messages.</summary>
    public bool IsBot { get; init; }

    public bool IsDone => Status == OutcomeStatus.Done;
    public bool IsUnchanged => Status == OutcomeStatus.Unchanged;
    public bool IsNotFound => Status == OutcomeStatus.NotFound;
    public bool IsRefused => Status == OutcomeStatus.Refused;
    public bool IsNoMatch => Status == OutcomeStatus.NoMatch;
    public bool IsAmbiguous => Status == OutcomeStatus.Ambiguous;
    public bool IsFailed => Status == OutcomeStatus.Failed;
    public bool IsUnknown => Status == OutcomeStatus.Unknown;
    public bool IsNotRecorded => Status == OutcomeStatus.NotRecorded;
    /// <summary>Allowed, and waiting for the caller to confirm.</summary>
    public bool IsPending => Status == OutcomeStatus.Pending;
    public bool OwnsBots => OwnedBots.Count > 0;
}

/// <summary>Model of <c>audit.sbn</c>.</summary>
public sealed record AuditLogReply(bool IsSelf, UserLabel Target, IReadOnlyList<AuditRecordView> Records);

/// <summary>One audit record as a person reads it: times relative and in the reader's zone, the result in their language.</summary>
public sealed record AuditRecordView(string When, string At, string Caller, string Action, string Target, string Source, string Result)
{
    /// <summary>The <c>--reason</c> the caller gave (outside: typed text); empty when none.</summary>
    public string GivenReason { get; init; } = "";

    /// <param name="reader">Whose language and zone; none: English, UTC.</param>
    public static AuditRecordView From(Audit.AuditEntry entry, DateTimeOffset now, Reader? reader = null)
    {
        reader ??= Reader.Person;
        // The record keeps the bot's reasons in English; those it recognises are said in the reader's language.
        var reason = Languages.BuiltIn.Recognize(entry.Reason);
        return new(
            reader.Ago(entry.At, now),
            reader.Time(entry.At),
            entry.CallerUsername,
            entry.Action,
            entry.TargetUsername ?? "",
            entry.Source,
            (entry.Decision, entry.Outcome) switch
            {
                (Audit.AuditDecision.Refused, _) => reader.Say("record.refused", reason),
                (_, Audit.AuditOutcome.Done) => reader.Say("record.done"),
                (_, Audit.AuditOutcome.Failed) => reader.Say("record.failed", entry.ErrorId ?? ""),
                (_, Audit.AuditOutcome.Unknown) => reader.Say("record.unknown"),
                (_, Audit.AuditOutcome.Started) => reader.Say("record.started"),
                _ => entry.Reason is null ? reader.Say("record.nothing-to-do") : reader.Say(reason),
            })
        {
            GivenReason = entry.GivenReason ?? "",
        };
    }
}

/// <summary>
/// Model of <c>message-&lt;action&gt;.sbn</c>: the direct message from the bot to the person someone else acted on
/// (docs/product.md#notices). Only that person reads it, but it is a real post: usernames go in code spans (codeUser).
/// </summary>
/// <param name="Action">The action's audit name (<c>revoke-all</c>, …): the template's name says it too.</param>
/// <param name="Caller">The username of who did it.</param>
/// <param name="At">When it was done: <c>2026-11-22 11:55:00 UTC</c>.</param>
/// <param name="Target">What was done to them: the <see cref="TargetOutcome"/> the caller's reply was made from.</param>
public sealed record DirectMessage(string Action, string Caller, string At, TargetOutcome Target)
{
    /// <summary>Why, as the caller said with <c>--reason</c> (outside: typed text); empty when they did not.</summary>
    public string GivenReason { get; init; } = "";

    /// <summary><c>Notify:Contact</c>: Markdown the operator wrote (e.g. <c>Questions: ~it-help</c>), printed as it is; empty when not set.</summary>
    [BotMarkdown] public string Contact { get; init; } = "";

    /// <summary>For a reactivation: the account's last deactivation, from the audit trail; nothing when the trail has none.</summary>
    public PastDeactivation? Deactivation { get; init; }
}

/// <summary>A deactivation as the audit trail recorded it: who (username), when (<c>2026-11-22 11:55:00 UTC</c>), and why (outside).</summary>
public sealed record PastDeactivation(string Caller, string At, string GivenReason);

/// <summary>Model of <c>rate-limited.sbn</c>.</summary>
public sealed record RateLimitedReply(int CommandsPerMinute);

/// <summary>Model of <c>confirm-&lt;action&gt;.sbn</c>: what will happen, before it happens.</summary>
/// <param name="Retype">The command with <c>--yes</c>, for when buttons are not configured.</param>
public sealed record ConfirmReply(OutcomeReply Outcome, bool HasButtons, string Retype, int Minutes);

/// <summary>Model of <c>click.sbn</c>: a button that did nothing, and why.</summary>
public sealed record ClickReply(Phrase Message);

/// <summary>A reply: Markdown text and, for questions and session lists, buttons.</summary>
public sealed record BotReply(string Text, IReadOnlyList<Actions.Attachment>? Attachments = null)
{
    /// <summary>How the command ended, as a word for metrics: done, refused, failed, unknown, asked_to_confirm, …</summary>
    public string Outcome { get; init; } = "done";
}

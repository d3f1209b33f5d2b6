namespace SessionBot.Audit;

/// <summary>Where the record of who asked for what is kept (SQLite by default, PostgreSQL for several instances).</summary>
public interface IAuditStore
{
    /// <summary>Creates or migrates the schema; refuses a schema newer than this build knows.</summary>
    Task InitializeAsync(CancellationToken ct);
    /// <summary>Writes and commits a new record. For a state-changing action this happens before Mattermost is called.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken ct);
    /// <summary>Completes a record written earlier with its outcome.</summary>
    Task CompleteAsync(Guid entryId, AuditOutcome outcome, string? errorId, CancellationToken ct);
    /// <summary>Clears the detail of a record written earlier: the id it named turned out to name nothing.</summary>
    Task ForgetDetailAsync(Guid entryId, CancellationToken ct);
    /// <summary>The newest records about a target user, or by a caller, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct);
    /// <summary>
    /// Marks a one-use value (a confirmation nonce) used; false when it was used before. Shared across instances. The
    /// mark is kept until <paramref name="expiresAt"/> plus <see cref="SqlAuditStore.OneUseKeysKeptAfterExpiry"/>; the
    /// caller refuses the value once it has expired.
    /// </summary>
    Task<bool> TryConsumeOnceAsync(string key, DateTimeOffset expiresAt, CancellationToken ct);
    /// <summary>Throws when the store cannot be written (for /readyz).</summary>
    Task CheckWritableAsync(CancellationToken ct);
}

public enum AuditDecision { Allowed, Refused }

/// <summary>Started: written before the Mattermost call and not completed (the process may have died in between).</summary>
public enum AuditOutcome { None, Started, Done, Failed, Unknown }

/// <summary>One action of one caller on (at most) one target.</summary>
public sealed record AuditEntry
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public DateTimeOffset At { get; init; }
    public required string CallerId { get; init; }
    public required string CallerUsername { get; init; }
    public string ChannelId { get; init; } = "";
    /// <summary>command, webhook or action (button click).</summary>
    public string Source { get; init; } = "command";
    /// <summary>The command as typed, secrets removed.</summary>
    public string CommandText { get; init; } = "";
    /// <summary>e.g. list-sessions, revoke-session, revoke-all, deactivate, activate, revoke-token, revoke-everyone, help, usage.</summary>
    public required string Action { get; init; }
    public string? TargetId { get; init; }
    public string? TargetUsername { get; init; }
    /// <summary>Session or token id the action names, when it names one.</summary>
    public string? Detail { get; init; }
    public AuditDecision Decision { get; init; }
    public string? Reason { get; init; }
    public AuditOutcome Outcome { get; init; }
    public string? ErrorId { get; init; }
    /// <summary>
    /// Why, as the caller said with <c>--reason</c> (docs/product.md#reasons); null when they gave none. Not
    /// <see cref="Reason"/>, which is SessionBot's own word on the decision.
    /// </summary>
    public string? GivenReason { get; init; }
}

/// <summary>Records about <see cref="TargetId"/> or by <see cref="CallerId"/>; of those, only one action and one outcome when given.</summary>
public sealed record AuditQuery(string? TargetId = null, string? CallerId = null, int Limit = 20, string? Action = null, AuditOutcome? Outcome = null);

using System.Data;
using System.Data.Common;

namespace SessionBot.Audit;

/// <summary>
/// The audit store over ADO.NET: the same SQL serves SQLite and PostgreSQL; <see cref="AuditDialect"/> holds what
/// differs. Every write is its own committed statement, so a record survives the process dying right after.
/// </summary>
public sealed class SqlAuditStore(AuditDialect dialect, Func<DbConnection> connect, TimeProvider time) : IAuditStore
{
    /// <summary>
    /// How long a one-use key is kept after it expires before it is pruned. Instances' clocks differ: one whose clock
    /// is behind still takes a button its expiry has passed by the others' clocks, so the key that records its use must
    /// outlive the expiry by more than any clock difference (and the button check's rounding to whole seconds).
    /// </summary>
    public static readonly TimeSpan OneUseKeysKeptAfterExpiry = TimeSpan.FromHours(1);

    private const string Columns =
        "id, at_ms, caller_id, caller_username, channel_id, source, command_text, action, target_id, target_username, detail, decision, reason, outcome, error_id, given_reason";

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        foreach (var statement in dialect.OnInitialize)
            await ExecuteAsync(connection, null, statement, ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (dialect.MigrationLock is { } lockSql)
            await ExecuteAsync(connection, transaction, lockSql, ct);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", ct);
        var found = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version", ct));
        var known = AuditSchema.Migrations.Count;
        if (found > known)
        {
            throw new InvalidOperationException(
                $"The audit store's schema is version {found}, newer than this build of SessionBot supports (version {known}). " +
                "Run a SessionBot at least as new as the one that upgraded the store, or set Audit:ConnectionString to another store.");
        }
        for (var version = found + 1; version <= known; version++)
        {
            foreach (var statement in AuditSchema.Migrations[version - 1])
                await ExecuteAsync(connection, transaction, statement, ct);
        }
        if (found < known)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM schema_version", ct);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({known})", ct);
        }
        await transaction.CommitAsync(ct);
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // The record written before a change must survive even a power cut; the others need only survive the
        // process dying (a lost completion leaves "started", which is what is then known).
        foreach (var statement in entry.Outcome == AuditOutcome.Started ? dialect.BeforeDurableWrite : dialect.BeforeWrite)
            await ExecuteAsync(connection, null, statement, ct);
        await using var command = Command(connection,
            $"INSERT INTO audit_entries ({Columns}) VALUES (@id, @at, @caller_id, @caller_username, @channel_id, @source, @command_text, @action, @target_id, @target_username, @detail, @decision, @reason, @outcome, @error_id, @given_reason)",
            ("id", entry.Id.ToString()), ("at", entry.At.ToUnixTimeMilliseconds()), ("caller_id", entry.CallerId),
            ("caller_username", entry.CallerUsername), ("channel_id", entry.ChannelId), ("source", entry.Source),
            ("command_text", entry.CommandText), ("action", entry.Action), ("target_id", entry.TargetId),
            ("target_username", entry.TargetUsername), ("detail", entry.Detail), ("decision", Name(entry.Decision)),
            ("reason", entry.Reason), ("outcome", Name(entry.Outcome)), ("error_id", entry.ErrorId), ("given_reason", entry.GivenReason));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task CompleteAsync(Guid entryId, AuditOutcome outcome, string? errorId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        foreach (var statement in dialect.BeforeWrite)
            await ExecuteAsync(connection, null, statement, ct);
        await using var command = Command(connection,
            "UPDATE audit_entries SET outcome = @outcome, error_id = @error_id, completed_at_ms = @now WHERE id = @id",
            ("outcome", Name(outcome)), ("error_id", errorId), ("now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("id", entryId.ToString()));
        if (await command.ExecuteNonQueryAsync(ct) != 1)
            throw new InvalidOperationException($"The audit record {entryId} to complete does not exist.");
    }

    public async Task ForgetDetailAsync(Guid entryId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        foreach (var statement in dialect.BeforeWrite)
            await ExecuteAsync(connection, null, statement, ct);
        await using var command = Command(connection, "UPDATE audit_entries SET detail = NULL WHERE id = @id", ("id", entryId.ToString()));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct)
    {
        var filters = new List<string>();
        var parameters = new List<(string, object?)> { ("limit", Math.Clamp(query.Limit, 1, 500)) };
        if (query.TargetId is not null)
        {
            filters.Add("target_id = @target_id");
            parameters.Add(("target_id", query.TargetId));
        }
        if (query.CallerId is not null)
        {
            filters.Add("caller_id = @caller_id");
            parameters.Add(("caller_id", query.CallerId));
        }
        var conditions = new List<string>();
        if (filters.Count > 0)
            conditions.Add("(" + string.Join(" OR ", filters) + ")");
        if (query.Action is not null)
        {
            conditions.Add("action = @action");
            parameters.Add(("action", query.Action));
        }
        if (query.Outcome is { } outcome)
        {
            conditions.Add("outcome = @outcome");
            parameters.Add(("outcome", Name(outcome)));
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, $"SELECT {Columns} FROM audit_entries {where} ORDER BY at_ms DESC, id LIMIT @limit", [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new AuditEntry
            {
                Id = Guid.Parse(reader.GetString(0)),
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                CallerId = reader.GetString(2),
                CallerUsername = reader.GetString(3),
                ChannelId = reader.GetString(4),
                Source = reader.GetString(5),
                CommandText = reader.GetString(6),
                Action = reader.GetString(7),
                TargetId = Text(reader, 8),
                TargetUsername = Text(reader, 9),
                Detail = Text(reader, 10),
                Decision = Enum.Parse<AuditDecision>(reader.GetString(11), ignoreCase: true),
                Reason = Text(reader, 12),
                Outcome = Enum.Parse<AuditOutcome>(reader.GetString(13), ignoreCase: true),
                ErrorId = Text(reader, 14),
                GivenReason = Text(reader, 15),
            });
        }
        return entries;
    }

    public async Task<bool> TryConsumeOnceAsync(string key, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var pruneBefore = (time.GetUtcNow() - OneUseKeysKeptAfterExpiry).ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(ct);
        await using (var prune = Command(connection, "DELETE FROM one_use_keys WHERE expires_at_ms < @before", ("before", pruneBefore)))
            await prune.ExecuteNonQueryAsync(ct);
        // The primary key makes this atomic across every instance sharing the store.
        await using var insert = Command(connection, "INSERT INTO one_use_keys (key, expires_at_ms) VALUES (@key, @expires) ON CONFLICT (key) DO NOTHING",
            ("key", key), ("expires", expiresAt.ToUnixTimeMilliseconds()));
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task CheckWritableAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection,
            "INSERT INTO heartbeat (id, at_ms) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms",
            ("now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = connect();
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name; // As written in the SQL: SQLite then need not try each prefix.
            parameter.Value = value ?? DBNull.Value;
            parameter.DbType = value switch
            {
                long => DbType.Int64,
                int => DbType.Int32,
                _ => DbType.String,
            };
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, sql);
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(ct);
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>What differs between the SQL databases the audit store runs on.</summary>
/// <param name="OnInitialize">Statements run once at start (settings the database keeps).</param>
/// <param name="BeforeDurableWrite">Before a write that must survive a power cut.</param>
/// <param name="BeforeWrite">Before a write that must survive the process dying.</param>
/// <param name="MigrationLock">Taken inside the migration transaction so two instances starting together migrate once.</param>
public sealed record AuditDialect(string Name, IReadOnlyList<string> OnInitialize,
    IReadOnlyList<string> BeforeDurableWrite, IReadOnlyList<string> BeforeWrite, string? MigrationLock)
{
    /// <summary>
    /// WAL lets readers and the writer work at once. In WAL mode synchronous=NORMAL survives a crash of the process,
    /// FULL also a power cut (one fsync per commit). A busy database needs no busy_timeout: Microsoft.Data.Sqlite
    /// retries until the command timeout (Default Timeout).
    /// </summary>
    public static readonly AuditDialect Sqlite = new("Sqlite", ["PRAGMA journal_mode=WAL"],
        ["PRAGMA synchronous=FULL"], ["PRAGMA synchronous=NORMAL"], null);

    /// <summary>PostgreSQL commits durably by default: every write is as safe as the server is configured to make it.</summary>
    public static readonly AuditDialect Postgres = new("Postgres", [], [], [], "SELECT pg_advisory_xact_lock(7152026)");
}

/// <summary>The schema, as ordered migrations: version N is the first N entries. Never edit a released entry; add one.</summary>
public static class AuditSchema
{
    public static readonly IReadOnlyList<string[]> Migrations =
    [
        [
            """
            CREATE TABLE audit_entries (
                id TEXT PRIMARY KEY,
                at_ms BIGINT NOT NULL,
                caller_id TEXT NOT NULL,
                caller_username TEXT NOT NULL,
                channel_id TEXT NOT NULL,
                source TEXT NOT NULL,
                command_text TEXT NOT NULL,
                action TEXT NOT NULL,
                target_id TEXT,
                target_username TEXT,
                detail TEXT,
                decision TEXT NOT NULL,
                reason TEXT,
                outcome TEXT NOT NULL,
                error_id TEXT,
                completed_at_ms BIGINT
            )
            """,
            "CREATE INDEX ix_audit_entries_target ON audit_entries (target_id, at_ms)",
            "CREATE INDEX ix_audit_entries_caller ON audit_entries (caller_id, at_ms)",
            "CREATE INDEX ix_audit_entries_at ON audit_entries (at_ms)",
            "CREATE TABLE one_use_keys (key TEXT PRIMARY KEY, expires_at_ms BIGINT NOT NULL)",
            "CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, at_ms BIGINT NOT NULL)",
        ],
        // 2: the reason the caller gave (--reason), kept apart from SessionBot's own word on the decision (reason).
        [
            "ALTER TABLE audit_entries ADD COLUMN given_reason TEXT",
        ],
    ];
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SessionBot.Audit;

/// <summary>Section <c>Audit</c>: where the audit trail is kept.</summary>
public sealed record AuditOptions
{
    public const string Section = "Audit";
    public const string DefaultSqlite = "Data Source=data/audit.db";
    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; init; } = "Sqlite";
    public string? ConnectionString { get; init; }

    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
}

public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (!options.IsPostgres && !options.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"Audit:Provider is invalid: '{options.Provider}' is neither Sqlite nor Postgres.");
        if (options.IsPostgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail("Audit:ConnectionString is missing: Audit:Provider=Postgres needs a PostgreSQL connection string.");
        try
        {
            _ = options.IsPostgres
                ? new NpgsqlConnectionStringBuilder(options.ConnectionString).Host
                : new SqliteConnectionStringBuilder(options.ConnectionString ?? AuditOptions.DefaultSqlite).DataSource;
        }
        catch (ArgumentException)
        {
            // The message of a connection-string error can quote the string, password included: not repeated here.
            return ValidateOptionsResult.Fail("Audit:ConnectionString is invalid: it is not a connection string for the chosen provider.");
        }
        return ValidateOptionsResult.Success;
    }
}

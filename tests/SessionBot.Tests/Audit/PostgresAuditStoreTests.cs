using Npgsql;
using SessionBot.Audit;

namespace SessionBot.Tests.Audit;

/// <summary>The shared suite on a real PostgreSQL, each test in a schema of its own.</summary>
[RequiresPostgres]
public sealed class PostgresAuditStoreTests : AuditStoreSuite, IAsyncLifetime
{
    private readonly string schema = "audit_test_" + Guid.NewGuid().ToString("N");
    private string ConnectionString => new NpgsqlConnectionStringBuilder(RequiresPostgresAttribute.ConnectionString) { SearchPath = schema }.ToString();

    protected override SqlAuditStore OpenStore() =>
        AuditStoreServices.Create(new AuditOptions { Provider = "Postgres", ConnectionString = ConnectionString }, Time);

    protected override async Task RunSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync()
    {
        if (RequiresPostgresAttribute.ConnectionString is null)
            return;
        await using var connection = new NpgsqlConnection(RequiresPostgresAttribute.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (RequiresPostgresAttribute.ConnectionString is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(RequiresPostgresAttribute.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using SessionBot.Audit;

namespace SessionBot.Tests.Audit;

/// <summary>
/// The shared suite on a real PostgreSQL, each test in a database of its own, created empty before it and dropped
/// after it. The tests connect as a role that owns what it creates and is no superuser (see .ci/postgres.sh).
/// </summary>
[RequiresPostgres]
public sealed class PostgresAuditStoreTests : AuditStoreSuite, IAsyncLifetime
{
    private readonly string database = "sessionbot_test_" + Guid.NewGuid().ToString("N");
    private string ConnectionString => new NpgsqlConnectionStringBuilder(RequiresPostgresAttribute.ConnectionString) { Database = database }.ToString();

    protected override SqlAuditStore OpenStore(TimeProvider time) =>
        AuditStoreServices.Create(new AuditOptions { Provider = "Postgres", ConnectionString = ConnectionString }, time);

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Every transaction read-only by default, as on a standby: a new connection cannot write.</summary>
    protected override Task MakeUnwritableAsync() => OnServerAsync($"ALTER DATABASE {database} SET default_transaction_read_only = on");

    /// <summary>Runs SQL on the server through the database the tests are given (to create or drop this test's).</summary>
    private static async Task OnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(RequiresPostgresAttribute.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync()
    {
        if (RequiresPostgresAttribute.ConnectionString is not null)
            await OnServerAsync($"CREATE DATABASE {database} TEMPLATE template0");
    }

    public async Task DisposeAsync()
    {
        if (RequiresPostgresAttribute.ConnectionString is null)
            return;
        NpgsqlConnection.ClearAllPools();
        // The stores' own connection pools are still open: FORCE ends their connections.
        await OnServerAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }
}

/// <summary>A PostgreSQL that cannot be reached: no server is needed for these.</summary>
public sealed class UnreachablePostgresTests
{
    [Fact]
    public async Task AClosedPortFailsTheWriteCheckPromptlyNamingWhereTheStoreWasLookedFor()
    {
        var port = ClosedPort();
        var store = AuditStoreServices.Create(new AuditOptions
        {
            Provider = "Postgres",
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=sessionbot;Password=not-to-be-shown;Database=sessionbot",
        }, TimeProvider.System);

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<NpgsqlException>(() => store.CheckWritableAsync(CancellationToken.None));
        clock.Stop();

        // A refused connection is known at once; the connect timeout (15 s by default) is never waited for.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The check took {clock.Elapsed}.");
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(e.InnerException).SocketErrorCode);
        Assert.DoesNotContain("not-to-be-shown", e.ToString());
    }

    /// <summary>A loopback port nothing listens on: taken from the system, then let go.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using Microsoft.Data.Sqlite;
using SessionBot.Audit;

namespace SessionBot.Tests.Audit;

public sealed class SqliteAuditStoreTests : AuditStoreSuite, IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("sessionbot-audit-");
    private string File => Path.Combine(folder.FullName, "nested", "audit.db");

    protected override SqlAuditStore OpenStore() =>
        AuditStoreServices.Create(new AuditOptions { ConnectionString = $"Data Source={File}" }, Time);

    protected override async Task RunSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TheDatabaseFileAndItsFolderAreCreatedOnFirstStartInWalMode()
    {
        await OpenStore().InitializeAsync(CancellationToken.None);
        Assert.True(System.IO.File.Exists(File));
        await using var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AStoreThatCannotBeWrittenFailsTheWriteCheck()
    {
        var store = OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        var readOnly = AuditStoreServices.Create(new AuditOptions { ConnectionString = $"Data Source={File};Mode=ReadOnly" }, Time);
        await Assert.ThrowsAsync<SqliteException>(() => readOnly.CheckWritableAsync(CancellationToken.None));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }
}

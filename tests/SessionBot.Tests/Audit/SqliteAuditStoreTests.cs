using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SessionBot.Audit;

namespace SessionBot.Tests.Audit;

public sealed class SqliteAuditStoreTests : AuditStoreSuite, IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("sessionbot-audit-");
    private readonly List<string> madeReadOnly = [];
    private string Folder => Path.Combine(folder.FullName, "nested");
    private string File => Path.Combine(Folder, "audit.db");

    protected override SqlAuditStore OpenStore(TimeProvider time) =>
        AuditStoreServices.Create(new AuditOptions { ConnectionString = $"Data Source={File}" }, time);

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The database file and its folder read-only.</summary>
    protected override Task MakeUnwritableAsync()
    {
        MakeReadOnly(File);
        MakeReadOnly(Folder);
        return Task.CompletedTask;
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
    public async Task AStoreOpenedReadOnlyFailsTheWriteCheck()
    {
        var store = OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        var readOnly = AuditStoreServices.Create(new AuditOptions { ConnectionString = $"Data Source={File};Mode=ReadOnly" }, Time);
        await Assert.ThrowsAsync<SqliteException>(() => readOnly.CheckWritableAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task AReadOnlyDatabaseFileOrFolderFailsTheWriteCheckAndTheAppend(bool file, bool folder)
    {
        await OpenStore().InitializeAsync(CancellationToken.None);
        if (file)
            MakeReadOnly(File);
        if (folder)
            MakeReadOnly(Folder);

        var store = OpenStore();
        // A read-only file cannot take the write; a read-only folder cannot take the write-ahead log beside the file.
        var e = await Assert.ThrowsAsync<SqliteException>(() => store.CheckWritableAsync(CancellationToken.None));
        Assert.Equal(file ? 8 : 14, e.SqliteErrorCode); // SQLITE_READONLY, SQLITE_CANTOPEN
        await Assert.ThrowsAsync<SqliteException>(() => store.AppendAsync(new AuditEntry { CallerId = TestData.CallerId, CallerUsername = "carol", Action = "help" }, CancellationToken.None));
    }

    /// <summary>
    /// Read-only from now on, for a new connection: the pooled ones are closed first (as after a restart). The
    /// superuser writes whatever the mode says, so when the tests run as root the file or folder is made immutable too.
    /// </summary>
    private void MakeReadOnly(string path)
    {
        SqliteConnection.ClearAllPools();
        madeReadOnly.Add(path);
        if (OperatingSystem.IsWindows())
        {
            System.IO.File.SetAttributes(path, System.IO.File.GetAttributes(path) | FileAttributes.ReadOnly);
            return;
        }
        System.IO.File.SetUnixFileMode(path, Directory.Exists(path)
            ? UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (Environment.IsPrivilegedProcess)
            Chattr("+i", path);
    }

    private static void Chattr(string change, string path)
    {
        using var chattr = Process.Start(new ProcessStartInfo("chattr", [change, path]) { RedirectStandardError = true })!;
        var error = chattr.StandardError.ReadToEnd();
        chattr.WaitForExit();
        if (chattr.ExitCode != 0)
            throw new InvalidOperationException($"chattr {change} {path} failed: {error}");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in madeReadOnly)
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.File.SetAttributes(path, System.IO.File.GetAttributes(path) & ~FileAttributes.ReadOnly);
                continue;
            }
            if (Environment.IsPrivilegedProcess)
                Chattr("-i", path);
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        folder.Delete(recursive: true);
    }
}

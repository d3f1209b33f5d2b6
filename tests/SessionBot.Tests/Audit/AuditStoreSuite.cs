using SessionBot.Audit;

namespace SessionBot.Tests.Audit;

/// <summary>One behaviour, two databases: every provider runs this suite against a real database.</summary>
public abstract class AuditStoreSuite
{
    protected readonly FixedTime Time = new(TestData.Now);

    /// <summary>
    /// A store on this test's database, which starts empty; a second call opens the same database again (another
    /// instance, or after a restart).
    /// </summary>
    protected SqlAuditStore OpenStore() => OpenStore(Time);

    /// <summary>A store on this test's database whose clock is <paramref name="time"/>.</summary>
    protected abstract SqlAuditStore OpenStore(TimeProvider time);

    /// <summary>Runs SQL on the test's database directly (to simulate a newer schema).</summary>
    protected Task RunSqlAsync(string sql) => ScalarAsync(sql);

    /// <summary>Runs a query on the test's database directly and returns its single value.</summary>
    protected abstract Task<object?> ScalarAsync(string sql);

    /// <summary>Makes the test's database impossible to write for the stores opened from then on.</summary>
    protected abstract Task MakeUnwritableAsync();

    private async Task<SqlAuditStore> InitializedAsync()
    {
        var store = OpenStore();
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private static AuditEntry Entry(string action, string? target = TestData.BobId, string caller = TestData.CallerId, int minute = 0) => new()
    {
        At = TestData.Now.AddMinutes(minute),
        CallerId = caller,
        CallerUsername = "carol",
        ChannelId = "channel0000000000000000000",
        CommandText = "/revoke all @bob",
        Action = action,
        TargetId = target,
        TargetUsername = target is null ? null : "bob",
        Decision = AuditDecision.Allowed,
        Outcome = AuditOutcome.Started,
    };

    [StoreFact]
    public async Task ARecordIsReadBackWithEveryField()
    {
        var store = await InitializedAsync();
        var entry = Entry("revoke-all") with { Detail = "3 sessions", Reason = "why", Source = "webhook", ErrorId = "x.y", GivenReason = "laptop stolen, ticket 4711 😀" };
        await store.AppendAsync(entry, CancellationToken.None);

        var read = Assert.Single(await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId), CancellationToken.None));
        Assert.Equal(entry, read);
    }

    [StoreFact]
    public async Task CompletingARecordSetsItsOutcomeAndErrorId()
    {
        var store = await InitializedAsync();
        var entry = Entry("deactivate");
        await store.AppendAsync(entry, CancellationToken.None);
        await store.CompleteAsync(entry.Id, AuditOutcome.Failed, "api.context.permissions.app_error", CancellationToken.None);

        var read = Assert.Single(await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId), CancellationToken.None));
        Assert.Equal(AuditOutcome.Failed, read.Outcome);
        Assert.Equal("api.context.permissions.app_error", read.ErrorId);
    }

    [StoreFact]
    public async Task CompletingAnUnknownRecordFails()
    {
        var store = await InitializedAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CompleteAsync(Guid.NewGuid(), AuditOutcome.Done, null, CancellationToken.None));
    }

    [StoreFact]
    public async Task QueriesFindRecordsAboutATargetOrByACallerNewestFirstUpToTheLimit()
    {
        var store = await InitializedAsync();
        for (var i = 0; i < 5; i++)
            await store.AppendAsync(Entry("revoke-all", minute: i), CancellationToken.None);
        await store.AppendAsync(Entry("activate", target: TestData.AliceId, caller: TestData.RootId, minute: 10), CancellationToken.None);

        var aboutBob = await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId, Limit: 3), CancellationToken.None);
        Assert.Equal([4, 3, 2], aboutBob.Select(e => (int)(e.At - TestData.Now).TotalMinutes));
        var byRoot = Assert.Single(await store.QueryAsync(new AuditQuery(CallerId: TestData.RootId), CancellationToken.None));
        Assert.Equal("activate", byRoot.Action);
        var aliceOrCarol = await store.QueryAsync(new AuditQuery(TargetId: TestData.AliceId, CallerId: TestData.CallerId), CancellationToken.None);
        Assert.Equal(6, aliceOrCarol.Count);
    }

    [StoreFact]
    public async Task AQueryNarrowedToAnActionAndAnOutcomeFindsTheNewestOfThose()
    {
        var store = await InitializedAsync();
        await store.AppendAsync(Entry("deactivate", minute: 1) with { Outcome = AuditOutcome.Done, GivenReason = "left" }, CancellationToken.None);
        await store.AppendAsync(Entry("deactivate", minute: 2) with { Outcome = AuditOutcome.Failed }, CancellationToken.None);
        await store.AppendAsync(Entry("activate", minute: 3) with { Outcome = AuditOutcome.Done }, CancellationToken.None);
        await store.AppendAsync(Entry("deactivate", target: TestData.AliceId, minute: 4) with { Outcome = AuditOutcome.Done }, CancellationToken.None);

        var last = Assert.Single(await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId, Limit: 1, Action: "deactivate", Outcome: AuditOutcome.Done), CancellationToken.None));
        Assert.Equal((1, "left"), ((int)(last.At - TestData.Now).TotalMinutes, last.GivenReason));
        Assert.Equal(3, (await store.QueryAsync(new AuditQuery(Action: "deactivate"), CancellationToken.None)).Count);
    }

    [StoreFact]
    public async Task AStoreAtTheFirstSchemaVersionIsMigratedKeepingItsRecordsWhichHaveNoGivenReason()
    {
        // The schema as the first version made it, with one record in it. (Opening a store makes the folder SQLite needs.)
        _ = OpenStore();
        await RunSqlAsync("CREATE TABLE schema_version (version INTEGER NOT NULL)");
        foreach (var statement in AuditSchema.Migrations[0])
            await RunSqlAsync(statement);
        await RunSqlAsync("INSERT INTO schema_version (version) VALUES (1)");
        await RunSqlAsync("INSERT INTO audit_entries (id, at_ms, caller_id, caller_username, channel_id, source, command_text, action, target_id, target_username, detail, decision, reason, outcome, error_id) "
            + $"VALUES ('{Guid.NewGuid()}', {TestData.Now.ToUnixTimeMilliseconds()}, '{TestData.CallerId}', 'carol', 'c', 'command', '/revoke all @bob', 'revoke-all', '{TestData.BobId}', 'bob', NULL, 'allowed', NULL, 'done', NULL)");

        var store = await InitializedAsync();
        Assert.Equal(AuditSchema.Migrations.Count, Convert.ToInt32(await ScalarAsync("SELECT version FROM schema_version")));
        await store.AppendAsync(Entry("deactivate", minute: 1) with { GivenReason = "offboarding" }, CancellationToken.None);

        var records = await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId), CancellationToken.None);
        Assert.Equal([("deactivate", "offboarding"), ("revoke-all", null)], records.Select(r => (r.Action, r.GivenReason)));
    }

    [StoreFact]
    public async Task ARecordLeftStartedStaysStartedAfterARestartAndNothingIsLost()
    {
        var first = await InitializedAsync();
        var started = Entry("revoke-all", minute: 1);
        var done = Entry("activate", minute: 0);
        await first.AppendAsync(done, CancellationToken.None);
        await first.CompleteAsync(done.Id, AuditOutcome.Done, null, CancellationToken.None);
        await first.AppendAsync(started, CancellationToken.None);
        // The process dies here: the change may have been made, the record was never completed.

        var restarted = await InitializedAsync();
        var records = await restarted.QueryAsync(new AuditQuery(TargetId: TestData.BobId), CancellationToken.None);
        Assert.Equal([AuditOutcome.Started, AuditOutcome.Done], records.Select(r => r.Outcome));
    }

    [StoreFact]
    public async Task InitializingTwiceKeepsTheSchemaAndTheRecords()
    {
        var store = await InitializedAsync();
        await store.AppendAsync(Entry("revoke-all"), CancellationToken.None);
        await store.InitializeAsync(CancellationToken.None);
        Assert.Single(await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId), CancellationToken.None));
    }

    [StoreFact]
    public async Task AOneUseKeyIsUsedOnceEvenAcrossTwoInstances()
    {
        var first = await InitializedAsync();
        var second = await InitializedAsync();
        var until = TestData.Now.AddMinutes(5);

        Assert.True(await first.TryConsumeOnceAsync("nonce-1", until, CancellationToken.None));
        Assert.False(await second.TryConsumeOnceAsync("nonce-1", until, CancellationToken.None));
        Assert.False(await first.TryConsumeOnceAsync("nonce-1", until, CancellationToken.None));
        Assert.True(await second.TryConsumeOnceAsync("nonce-2", until, CancellationToken.None));
    }

    [StoreFact]
    public async Task ConcurrentUsesOfOneKeySucceedExactlyOnce()
    {
        var stores = new[] { await InitializedAsync(), await InitializedAsync() };
        var attempts = Enumerable.Range(0, 20).Select(i => stores[i % 2].TryConsumeOnceAsync("race", TestData.Now.AddMinutes(5), CancellationToken.None));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(r => r));
    }

    [StoreFact]
    public async Task ASchemaNewerThanThisBuildIsRefusedNamingBothVersions()
    {
        var store = await InitializedAsync();
        await RunSqlAsync($"UPDATE schema_version SET version = {AuditSchema.Migrations.Count + 1}");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStore().InitializeAsync(CancellationToken.None));
        Assert.Contains($"version {AuditSchema.Migrations.Count + 1}", e.Message);
        Assert.Contains($"supports (version {AuditSchema.Migrations.Count})", e.Message);
        _ = store;
    }

    [StoreFact]
    public async Task AWritableStorePassesTheWriteCheck()
    {
        var store = await InitializedAsync();
        await store.CheckWritableAsync(CancellationToken.None);
        await store.CheckWritableAsync(CancellationToken.None);
    }

    [StoreFact]
    public async Task SeveralInstancesStartingTogetherOnAFreshDatabaseMigrateItOnceAndAllWork()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore()).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = stores.Select(store => Task.Run(async () =>
        {
            await go.Task;
            await store.InitializeAsync(CancellationToken.None);
        })).ToArray();
        go.SetResult();
        await Task.WhenAll(starts);

        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM schema_version")));
        Assert.Equal(AuditSchema.Migrations.Count, Convert.ToInt32(await ScalarAsync("SELECT version FROM schema_version")));
        for (var i = 0; i < stores.Length; i++)
        {
            await stores[i].CheckWritableAsync(CancellationToken.None);
            await stores[i].AppendAsync(Entry("revoke-all", minute: i), CancellationToken.None);
        }
        foreach (var store in stores)
            Assert.Equal(stores.Length, (await store.QueryAsync(new AuditQuery(TargetId: TestData.BobId), CancellationToken.None)).Count);
    }

    [StoreFact]
    public async Task AStoreThatCannotBeWrittenFailsTheWriteCheckAndTheAppend()
    {
        var writable = await InitializedAsync();
        await writable.AppendAsync(Entry("revoke-all"), CancellationToken.None);
        await MakeUnwritableAsync();

        var store = OpenStore();
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.CheckWritableAsync(CancellationToken.None));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.AppendAsync(Entry("deactivate"), CancellationToken.None));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.TryConsumeOnceAsync("nonce", TestData.Now.AddMinutes(5), CancellationToken.None));
    }

    [StoreFact]
    public async Task AUsedKeyIsStillRefusedJustPastItsExpiryAndByAnInstanceWhoseClockIsBehind()
    {
        var ahead = new FixedTime(TestData.Now);
        var behind = new FixedTime(TestData.Now);
        var first = OpenStore(ahead);
        await first.InitializeAsync(CancellationToken.None);
        var lagging = OpenStore(behind);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(TestData.Now.AddMinutes(5).ToUnixTimeSeconds());
        Assert.True(await first.TryConsumeOnceAsync("nonce", expiry, CancellationToken.None));

        // The button check compares whole seconds: a replay in the second after the expiry still passes it.
        ahead.Now = expiry.AddMilliseconds(999);
        Assert.False(await first.TryConsumeOnceAsync("nonce", expiry, CancellationToken.None));

        // The first instance's clock runs 30 minutes ahead and it goes on pruning; the other's is a second before the
        // expiry, so it takes the button again: the store must still know the key was used.
        ahead.Now = expiry.AddMinutes(30);
        behind.Now = expiry.AddSeconds(-1);
        Assert.True(await first.TryConsumeOnceAsync("other", ahead.Now.AddMinutes(5), CancellationToken.None));
        Assert.False(await lagging.TryConsumeOnceAsync("nonce", expiry, CancellationToken.None));
    }

    [StoreFact]
    public async Task AUsedKeyIsPrunedOnlyOnceTheMarginAfterItsExpiryHasPassed()
    {
        var store = await InitializedAsync();
        var expiry = TestData.Now.AddMinutes(5);
        Assert.True(await store.TryConsumeOnceAsync("old", expiry, CancellationToken.None));
        Assert.True(await store.TryConsumeOnceAsync("newer", expiry.AddMilliseconds(2), CancellationToken.None));

        Time.Now = expiry + SqlAuditStore.OneUseKeysKeptAfterExpiry;
        Assert.True(await store.TryConsumeOnceAsync("prunes-1", Time.Now.AddMinutes(5), CancellationToken.None));
        Assert.Equal(1L, await KeysNamedAsync("old"));

        Time.Now = expiry + SqlAuditStore.OneUseKeysKeptAfterExpiry + TimeSpan.FromMilliseconds(1);
        Assert.True(await store.TryConsumeOnceAsync("prunes-2", Time.Now.AddMinutes(5), CancellationToken.None));
        Assert.Equal(0L, await KeysNamedAsync("old"));
        Assert.Equal(1L, await KeysNamedAsync("newer"));
    }

    private async Task<long> KeysNamedAsync(string key) =>
        Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM one_use_keys WHERE key = '{key}'"));
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Moq;
using SessionBot.Audit;
using SessionBot.Mattermost;
using SessionBot.Tests.Audit;
using SessionBot.Tests.Commands;

namespace SessionBot.Tests.Endpoints;

public class ReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync(BotUnderTest bot)
    {
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        var response = await client.GetAsync("/readyz");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task ReadyWhenTheAuditStoreIsWritableAndMattermostAcceptsTheBotToken()
    {
        var (status, body) = await ReadyzAsync(new BotUnderTest());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task NotReadyNamesTheAuditStoreWhenItCannotBeWritten()
    {
        var bot = new BotUnderTest();
        bot.Audit.Setup(a => a.CheckWritableAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("read-only file system"));
        var (status, body) = await ReadyzAsync(bot);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("failing", body.GetProperty("audit").GetString());
        Assert.Equal("ok", body.GetProperty("mattermost").GetString());
    }

    [Fact]
    public async Task APartThatDoesNotAnswerIsFailingWithinTheCheckTimeout()
    {
        var bot = new BotUnderTest();
        bot.Audit.Setup(a => a.CheckWritableAsync(It.IsAny<CancellationToken>())).Returns((CancellationToken ct) => Task.Delay(Timeout.Infinite, ct));
        var (status, body) = await ReadyzAsync(bot);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failing: the audit store did not answer within 2 s", body.GetProperty("audit").GetString());
        Assert.Equal("ok", body.GetProperty("mattermost").GetString());
    }

    [Fact]
    public async Task ProbesInQuickSuccessionCheckEachPartOnce()
    {
        var bot = new BotUnderTest();
        await using var app = new SessionBotApplication(bot);
        using var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        bot.Mattermost.Verify(c => c.GetUserAsync("me", It.IsAny<CancellationToken>()), Times.Once);
        bot.Audit.Verify(a => a.CheckWritableAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NotReadyNamesMattermostWhenTheBotTokenIsRefused()
    {
        var bot = new BotUnderTest();
        bot.Mattermost.Setup(c => c.GetUserAsync("me", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MattermostException(MattermostFailure.Rejected, 401, "api.context.session_expired.app_error", "expired"));
        var (status, body) = await ReadyzAsync(bot);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failing: Mattermost does not accept the bot token", body.GetProperty("mattermost").GetString());
        Assert.Equal("ok", body.GetProperty("audit").GetString());
    }
}

/// <summary>Two bot instances behind a load balancer, sharing one PostgreSQL database, behave as one.</summary>
[RequiresPostgres]
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private readonly string schema = "instances_" + Guid.NewGuid().ToString("N");

    private Dictionary<string, string?> Settings() => new(SessionBotApplication.DefaultSettings())
    {
        ["Audit:Provider"] = "Postgres",
        ["Audit:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(RequiresPostgresAttribute.ConnectionString) { SearchPath = schema }.ToString(),
    };

    /// <summary>The app with its real audit store (on PostgreSQL) and a mocked Mattermost.</summary>
    private sealed class Instance(BotUnderTest bot, IDictionary<string, string?> settings) : SessionBotApplication(bot, settings, realAuditStore: true);

    [StoreFact]
    public async Task ARecordWrittenByOneInstanceIsReadByTheOther()
    {
        var bot = new BotUnderTest().CallerRoles("system_admin").WithSessions(TestData.BobId, TestData.SessionId(1));
        await using var first = new Instance(bot, Settings());
        await using var second = new Instance(bot, Settings());

        using (var client = first.CreateClient())
            await client.PostAsync("/mattermost/commands", Form("/revoke", "all @bob --yes", SessionBotApplication.RevokeToken));
        using var other = second.CreateClient();
        var reply = await other.PostAsync("/mattermost/commands", Form("/sessions", "audit @bob", SessionBotApplication.SessionsToken));
        var text = ReplyText.Plain(await reply.Content.ReadFromJsonAsync<JsonElement>());

        Assert.Contains("@carol · revoke-all → @bob · done", text);
    }

    [StoreFact]
    public async Task AOneUseKeyUsedOnOneInstanceIsUsedUpOnTheOther()
    {
        var bot = new BotUnderTest();
        await using var first = new Instance(bot, Settings());
        await using var second = new Instance(bot, Settings());
        first.CreateClient().Dispose();
        second.CreateClient().Dispose();
        var storeA = (IAuditStore)first.Services.GetService(typeof(IAuditStore))!;
        var storeB = (IAuditStore)second.Services.GetService(typeof(IAuditStore))!;

        Assert.True(await storeA.TryConsumeOnceAsync("confirm-1", TestData.Now.AddYears(10), CancellationToken.None));
        Assert.False(await storeB.TryConsumeOnceAsync("confirm-1", TestData.Now.AddYears(10), CancellationToken.None));
    }

    private static FormUrlEncodedContent Form(string command, string text, string token) => new(new Dictionary<string, string>
    {
        ["command"] = command,
        ["text"] = text,
        ["token"] = token,
        ["user_id"] = TestData.CallerId,
        ["user_name"] = "carol",
        ["channel_id"] = "channel0000000000000000000",
    });

    public async Task InitializeAsync()
    {
        if (RequiresPostgresAttribute.ConnectionString is null)
            return;
        await using var connection = new Npgsql.NpgsqlConnection(RequiresPostgresAttribute.ConnectionString);
        await connection.OpenAsync();
        await new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", connection).ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (RequiresPostgresAttribute.ConnectionString is null)
            return;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(RequiresPostgresAttribute.ConnectionString);
        await connection.OpenAsync();
        await new Npgsql.NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection).ExecuteNonQueryAsync();
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SessionBot.Audit;

/// <summary>Registers the configured audit store and creates or migrates its schema before the app takes requests.</summary>
public static class AuditStoreServices
{
    public static IServiceCollection AddAuditStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        services.AddSingleton<IAuditStore>(provider => new Metrics.MeteredAuditStore(
            Create(provider.GetRequiredService<IOptions<AuditOptions>>().Value, provider.GetRequiredService<TimeProvider>()),
            provider.GetRequiredService<Metrics.BotMetrics>()));
        services.AddHostedService<AuditStoreInitializer>();
        return services;
    }

    public static SqlAuditStore Create(AuditOptions options, TimeProvider time)
    {
        if (options.IsPostgres)
        {
            var dataSource = NpgsqlDataSource.Create(options.ConnectionString!);
            return new SqlAuditStore(AuditDialect.Postgres, dataSource.CreateConnection, time);
        }
        var connectionString = new SqliteConnectionStringBuilder(options.ConnectionString ?? AuditOptions.DefaultSqlite);
        if (Path.GetDirectoryName(Path.GetFullPath(connectionString.DataSource)) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        // A locked database is retried for this long before a write fails (Microsoft.Data.Sqlite's default is 30 s).
        if (connectionString.DefaultTimeout == 30)
            connectionString.DefaultTimeout = 5;
        var text = connectionString.ToString();
        return new SqlAuditStore(AuditDialect.Sqlite, () => new SqliteConnection(text), time);
    }

    private sealed class AuditStoreInitializer(IAuditStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => store.InitializeAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

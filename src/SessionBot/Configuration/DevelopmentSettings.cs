using Microsoft.Extensions.Configuration.Json;

namespace SessionBot.Configuration;

/// <summary>The repository's Development settings, for <c>dotnet run</c> from a checkout.</summary>
public static class DevelopmentSettings
{
    /// <summary>
    /// In Development, loads <c>appsettings.Development.json</c> from the repository root (beside SessionBot.sln),
    /// ranked just after the other JSON files so environment variables and arguments still override it.
    /// </summary>
    public static void AddRepositoryDevelopmentSettings(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
            return;
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "appsettings.Development.json");
            if (File.Exists(Path.Combine(dir.FullName, "SessionBot.sln")) && File.Exists(file))
            {
                var sources = configuration.Sources;
                var afterJson = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i + 1;
                var source = new JsonConfigurationSource { Path = file, Optional = true, ReloadOnChange = false };
                source.ResolveFileProvider();
                sources.Insert(afterJson, source);
                return;
            }
        }
    }

    /// <summary>Where the bot listens in Development when neither <c>ASPNETCORE_URLS</c> nor <c>--urls</c> says.</summary>
    public const string DefaultDevelopmentUrl = "http://localhost:5080";

    /// <summary>
    /// In Development the bot listens where <c>ASPNETCORE_URLS</c> or <c>--urls</c> say (else on
    /// <see cref="DefaultDevelopmentUrl"/>), and <c>Bot:PublicUrl</c>, unless set, is that address: the sandbox
    /// registers the commands there and the buttons call back there, so moving the bot needs one setting, not two.
    /// </summary>
    public static void UseDevelopmentUrls(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
            return;
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = DefaultDevelopmentUrl;
            builder.WebHost.UseUrls(urls);
        }
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Bot:PublicUrl"]))
            return;
        // The first address, with a wildcard host ("http://+:5080", "http://0.0.0.0:5080") as this machine reaches it.
        var first = new UriBuilder(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0].Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (first.Host is "0.0.0.0" or "[::]" or "::")
            first.Host = "localhost";
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Bot:PublicUrl"] = first.Uri.GetLeftPart(UriPartial.Authority) });
    }
}

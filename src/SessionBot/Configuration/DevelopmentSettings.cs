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
}
